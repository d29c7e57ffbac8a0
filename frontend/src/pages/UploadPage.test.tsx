import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { getAccessToken, startSession } from "../api/session";
import { json, makeSession, makeUser, mockApi } from "../test/api";
import { makeMedia, page } from "../test/data";
import { renderApp } from "../test/render";
import { installFakeXhr } from "../test/xhr";

const creator = makeUser({ role: "creator", handle: "ada" });
const MEDIA_ID = "m0000000-0000-4000-8000-00000000abcd";

function photo(name = "sunset.jpg", type = "image/jpeg", size = 2048): File {
  return new File([new Uint8Array(size)], name, { type });
}

/** The n-th request sent, once it has been. */
function sent(Xhr: ReturnType<typeof installFakeXhr>, n: number) {
  return waitFor(() => {
    expect(Xhr.sent.length).toBeGreaterThanOrEqual(n);
    return Xhr.sent[n - 1];
  });
}

function choose(file: File) {
  fireEvent.change(screen.getByTestId("upload-input"), { target: { files: [file] } });
}

describe("uploading a photo", () => {
  it("goes from uploading (with progress) to processing to ready, with the thumbnail", async () => {
    startSession(makeSession("t1", creator));
    const Xhr = installFakeXhr();
    let status: "processing" | "ready" = "processing";
    const server = mockApi({
      [`GET /api/media/${MEDIA_ID}`]: () =>
        json(
          200,
          makeMedia({
            id: MEDIA_ID,
            status,
            ...(status === "processing" ? { thumbnails: {} } : {}),
          }),
        ),
      "GET /api/creators/ada/media": () => json(200, page([])),
    });
    renderApp("/upload");

    choose(photo());
    const xhr = await waitFor(() => {
      expect(Xhr.sent).toHaveLength(1);
      return Xhr.sent[0];
    });
    expect(xhr.method).toBe("POST");
    expect(xhr.url).toBe("/api/media");
    expect(xhr.headers.Authorization).toBe("Bearer t1");
    expect((xhr.body as FormData).get("file")).toBeInstanceOf(File);

    expect(screen.getByTestId("upload-status")).toHaveAttribute("data-state", "uploading");
    act(() => xhr.progress(512, 2048));
    expect(screen.getByTestId("upload-progress")).toHaveAttribute("value", "25");
    expect(screen.getByTestId("upload-status")).toHaveTextContent("Uploading… 25%");
    expect(screen.getByTestId("upload-input")).toBeDisabled();

    act(() => xhr.respond(202, { id: MEDIA_ID, status: "processing" }));
    await waitFor(() =>
      expect(screen.getByTestId("upload-status")).toHaveAttribute("data-state", "processing"),
    );
    expect(screen.getByTestId("upload-progress")).toHaveAttribute("value", "100");
    await waitFor(() =>
      expect(server.to("GET", `/api/media/${MEDIA_ID}`).length).toBeGreaterThan(0),
    );

    status = "ready";
    await waitFor(
      () => expect(screen.getByTestId("upload-status")).toHaveAttribute("data-state", "ready"),
      { timeout: 3000 },
    );
    expect(screen.getByTestId("upload-thumbnail")).toHaveAttribute(
      "src",
      `/media/${MEDIA_ID}-320.webp`,
    );
    expect(screen.queryByTestId("upload-error")).not.toBeInTheDocument();
  });

  it("says why processing failed", async () => {
    startSession(makeSession("t1", creator));
    const Xhr = installFakeXhr();
    mockApi({
      [`GET /api/media/${MEDIA_ID}`]: () =>
        json(
          200,
          makeMedia({
            id: MEDIA_ID,
            status: "failed",
            failure_reason: "Not a picture.",
            thumbnails: {},
          }),
        ),
    });
    renderApp("/upload");
    choose(photo());
    const xhr = await sent(Xhr, 1);
    act(() => xhr.respond(202, { id: MEDIA_ID, status: "processing" }));
    expect(await screen.findByTestId("upload-error")).toHaveTextContent(
      "The picture could not be processed: Not a picture.",
    );
    expect(screen.getByTestId("upload-status")).toHaveAttribute("data-state", "failed");
  });

  it("refuses other types and oversized files before sending anything", async () => {
    startSession(makeSession("t1", creator));
    const Xhr = installFakeXhr();
    mockApi({});
    renderApp("/upload");

    choose(photo("notes.txt", "text/plain"));
    expect(await screen.findByTestId("upload-error")).toHaveTextContent(
      "Choose a JPEG, PNG or WebP picture.",
    );
    expect(screen.getByTestId("upload-status")).toHaveAttribute("data-state", "failed");

    choose(photo("huge.png", "image/png", 21 * 1024 * 1024));
    expect(await screen.findByTestId("upload-error")).toHaveTextContent("the limit is 20 MB");
    expect(Xhr.sent).toHaveLength(0);
  });

  it("shows the API's error, e.g. a type it sniffed and refused", async () => {
    startSession(makeSession("t1", creator));
    const Xhr = installFakeXhr();
    mockApi({});
    renderApp("/upload");
    choose(photo());
    const xhr = await sent(Xhr, 1);
    act(() =>
      xhr.respond(415, {
        error: {
          code: "unsupported_media_type",
          message: "Upload a JPEG, PNG or WebP image.",
          request_id: "r1",
          details: null,
        },
      }),
    );
    expect(await screen.findByTestId("upload-error")).toHaveTextContent(
      "Upload a JPEG, PNG or WebP image.",
    );
  });

  it("refreshes the token once on a 401 and sends the file again", async () => {
    startSession(makeSession("old", creator));
    const Xhr = installFakeXhr();
    mockApi({
      "POST /api/auth/refresh": () => json(200, makeSession("new", creator)),
      [`GET /api/media/${MEDIA_ID}`]: () => json(200, makeMedia({ id: MEDIA_ID })),
      "GET /api/creators/ada/media": () => json(200, page([])),
    });
    renderApp("/upload");
    choose(photo());
    const first = await sent(Xhr, 1);
    act(() =>
      first.respond(401, {
        error: { code: "invalid_token", message: "Expired.", request_id: "r", details: null },
      }),
    );
    const second = await waitFor(() => {
      expect(Xhr.sent).toHaveLength(2);
      return Xhr.sent[1];
    });
    expect(second.headers.Authorization).toBe("Bearer new");
    expect(getAccessToken()).toBe("new");
    act(() => second.respond(202, { id: MEDIA_ID, status: "processing" }));
    await waitFor(() =>
      expect(screen.getByTestId("upload-status")).toHaveAttribute("data-state", "ready"),
    );
  });

  it("is for creators only", async () => {
    startSession(makeSession("t1"));
    mockApi({});
    renderApp("/upload");
    expect(await screen.findByText("Only creators can upload photos.")).toBeVisible();
    expect(screen.queryByTestId("upload-input")).not.toBeInTheDocument();
    expect(screen.queryByTestId("nav-upload")).not.toBeInTheDocument();
  });
});
