import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { getAccessToken, startSession } from "../api/session";
import type { Post } from "../api/posts";
import { json, makeSession, makeUser, mockApi, noContent } from "../test/api";
import type { Handler, RecordedRequest } from "../test/api";
import { makeCreator, makeMedia, page } from "../test/data";
import { makePhoto, makePost } from "../test/posts";
import { renderApp } from "../test/render";
import { installFakeXhr, type FakeXhr } from "../test/xhr";

const creator = makeUser({
  id: "c0000000-0000-4000-8000-000000000002",
  role: "creator",
  handle: "ada",
});
const DRAFT_ID = "p0000000-0000-4000-8000-00000000d001";
const mediaId = (n: number) => `m0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function photo(name = "sunset.jpg", type = "image/jpeg", size = 2048): File {
  return new File([new Uint8Array(size)], name, { type });
}

function choose(...files: File[]) {
  fireEvent.change(screen.getByTestId("composer-input"), { target: { files } });
}

/** The n-th upload sent, once it has been. */
function sent(Xhr: typeof FakeXhr, n: number) {
  return waitFor(() => {
    expect(Xhr.sent.length).toBeGreaterThanOrEqual(n);
    return Xhr.sent[n - 1];
  });
}

function rows() {
  return screen.queryAllByTestId("composer-photo");
}

/** Media 1..n answer `status()` when polled. */
function mediaRoutes(n: number, status: (id: string) => "processing" | "ready" | "failed") {
  const routes: Record<string, Handler> = {};
  for (let i = 1; i <= n; i++) {
    const id = mediaId(i);
    routes[`GET /api/media/${id}`] = () => {
      const now = status(id);
      return json(
        200,
        makeMedia({
          id,
          status: now,
          failure_reason: now === "failed" ? "Not a picture." : null,
          ...(now === "ready" ? {} : { thumbnails: {} }),
        }),
      );
    };
  }
  return routes;
}

/** The post the API makes from a request body. */
function postFrom(body: unknown, overrides: Partial<Post> = {}): Post {
  const { caption, media_ids, price } = body as {
    caption: string;
    media_ids: string[];
    price: number;
  };
  return makePost({
    id: DRAFT_ID,
    status: "draft",
    published_at: null,
    author: { id: creator.id, handle: "ada", display_name: "Ada", avatar_url: null },
    caption,
    price,
    photos: media_ids.map((_, i) => makePhoto(i + 1, { media_id: media_ids[i] })),
    ...overrides,
  });
}

function composerRoutes(extra: Record<string, Handler> = {}) {
  return {
    "GET /api/me/posts": () => json(200, page([])),
    "GET /api/creators/ada": () => json(200, makeCreator({ id: creator.id, handle: "ada" })),
    "GET /api/creators/ada/posts": () => json(200, page([])),
    "POST /api/posts": (request: RecordedRequest) => json(201, postFrom(request.body)),
    [`PATCH /api/posts/${DRAFT_ID}`]: (request: RecordedRequest) =>
      json(200, postFrom(request.body)),
    [`POST /api/posts/${DRAFT_ID}/publish`]: () =>
      json(200, makePost({ id: DRAFT_ID, status: "published" })),
    ...extra,
  };
}

/** Pick `n` photos, answer each upload and let the polls find them ready. */
async function pickReady(Xhr: typeof FakeXhr, n: number, offset = 0) {
  choose(...Array.from({ length: n }, (_, i) => photo(`photo-${offset + i + 1}.jpg`)));
  for (let i = 1; i <= n; i++) {
    const xhr = await sent(Xhr, offset + i);
    act(() => xhr.respond(202, { id: mediaId(offset + i), status: "processing" }));
  }
  await waitFor(
    () =>
      expect(rows().map((row) => row.getAttribute("data-state"))).toEqual(
        Array(offset + n).fill("ready"),
      ),
    { timeout: 3000 },
  );
}

describe("the post composer", () => {
  it("uploads each photo with its own progress, then waits until it is ready", async () => {
    startSession(makeSession("t1", creator));
    const Xhr = installFakeXhr();
    const ready = new Set<string>();
    const server = mockApi(
      composerRoutes(mediaRoutes(2, (id) => (ready.has(id) ? "ready" : "processing"))),
    );
    renderApp("/upload");

    choose(photo("a.jpg"), photo("b.jpg"));
    const first = await sent(Xhr, 1);
    const second = await sent(Xhr, 2);
    expect(first.url).toBe("/api/media");
    expect(first.headers.Authorization).toBe("Bearer t1");
    expect((first.body as FormData).get("file")).toBeInstanceOf(File);
    expect(rows()).toHaveLength(2);
    expect(rows()[0]).toHaveTextContent("a.jpg");
    expect(rows()[0]).toHaveAttribute("data-state", "uploading");

    act(() => first.progress(512, 2048));
    act(() => second.progress(1536, 2048));
    const [bar1, bar2] = screen.getAllByTestId("composer-progress");
    expect(bar1).toHaveAttribute("value", "25");
    expect(bar1).toHaveAccessibleName("Upload progress of photo 1");
    expect(bar2).toHaveAttribute("value", "75");
    expect(rows()[0]).toHaveTextContent("Uploading… 25%");

    act(() => first.respond(202, { id: mediaId(1), status: "processing" }));
    await waitFor(() => expect(rows()[0]).toHaveAttribute("data-state", "processing"));
    expect(rows()[0]).toHaveTextContent("Making the thumbnails…");
    await waitFor(() =>
      expect(server.to("GET", `/api/media/${mediaId(1)}`).length).toBeGreaterThan(0),
    );

    ready.add(mediaId(1));
    await waitFor(() => expect(rows()[0]).toHaveAttribute("data-state", "ready"), {
      timeout: 3000,
    });
    expect(within(rows()[0]).getByTestId("composer-thumbnail")).toHaveAttribute(
      "src",
      `/media/${mediaId(1)}-320.webp`,
    );
    expect(rows()[1]).toHaveAttribute("data-state", "uploading");

    // Nothing is published, or even drafted, by picking files.
    fireEvent.click(screen.getByTestId("composer-publish"));
    expect(await screen.findByTestId("composer-problem")).toHaveTextContent(
      "Wait until every photo is ready.",
    );
    expect(server.to("POST", "/api/posts")).toEqual([]);
  });

  it("explains photos that cannot be used, and lets them be removed", async () => {
    startSession(makeSession("t1", creator));
    const Xhr = installFakeXhr();
    const server = mockApi(
      composerRoutes({
        ...mediaRoutes(2, (id) => (id === mediaId(1) ? "failed" : "ready")),
        [`DELETE /api/media/${mediaId(1)}`]: () => noContent(),
      }),
    );
    const { user } = renderApp("/upload");

    choose(photo("notes.txt", "text/plain"), photo("broken.jpg"), photo("good.jpg"));
    expect(rows()[0]).toHaveAttribute("data-state", "failed");
    expect(within(rows()[0]).getByTestId("composer-photo-error")).toHaveTextContent(
      "Choose a JPEG, PNG or WebP picture.",
    );
    const broken = await sent(Xhr, 1);
    const good = await sent(Xhr, 2);
    expect(Xhr.sent).toHaveLength(2);
    act(() => broken.respond(202, { id: mediaId(1), status: "processing" }));
    act(() => good.respond(202, { id: mediaId(2), status: "processing" }));
    expect(
      await within(rows()[1]).findByTestId("composer-photo-error", {}, { timeout: 3000 }),
    ).toHaveTextContent("It could not be processed: Not a picture.");

    await user.click(screen.getByRole("button", { name: "Publish" }));
    expect(screen.getByTestId("composer-problem")).toHaveTextContent(
      "Remove the photos that could not be used.",
    );

    await user.click(screen.getByRole("button", { name: "Remove photo 1" }));
    await user.click(screen.getByRole("button", { name: "Remove photo 1" }));
    expect(rows()).toHaveLength(1);
    expect(rows()[0]).toHaveTextContent("good.jpg");
    // The upload no post shows is deleted; focus goes back to the picker.
    await waitFor(() => expect(server.to("DELETE", `/api/media/${mediaId(1)}`)).toHaveLength(1));
    expect(screen.getByTestId("composer-input")).toHaveFocus();
  });

  it("takes at most 10 photos", () => {
    startSession(makeSession("t1", creator));
    installFakeXhr();
    mockApi(composerRoutes());
    renderApp("/upload");
    choose(...Array.from({ length: 12 }, (_, i) => photo(`p${i}.jpg`)));
    expect(rows()).toHaveLength(10);
    expect(screen.getByTestId("composer-pick-error")).toHaveTextContent(
      "A post has at most 10 photos; 2 of those were left out.",
    );
    expect(screen.getByTestId("composer-input")).toBeDisabled();
  });

  it("reorders the photos and publishes them in that order: POST, then publish", async () => {
    startSession(makeSession("t1", creator));
    const Xhr = installFakeXhr();
    const server = mockApi(composerRoutes(mediaRoutes(3, () => "ready")));
    const { user, router } = renderApp("/upload");
    await pickReady(Xhr, 3);

    await user.click(screen.getByRole("button", { name: "Move photo 3 earlier" }));
    expect(rows().map((row) => row.getAttribute("data-media-id"))).toEqual([
      mediaId(1),
      mediaId(3),
      mediaId(2),
    ]);
    expect(screen.getByRole("button", { name: "Move photo 2 earlier" })).toHaveFocus();
    expect(screen.getByText("Photo moved to position 2 of 3.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Move photo 2 earlier" }));
    // At the top its "earlier" button is disabled, so focus stays on the photo's "later" one.
    expect(screen.getByRole("button", { name: "Move photo 1 later" })).toHaveFocus();
    expect(screen.getByRole("button", { name: "Move photo 1 earlier" })).toBeDisabled();

    await user.type(screen.getByTestId("post-caption-input"), "Line one{Enter}Line two");
    await user.click(screen.getByTestId("price-locked"));
    await user.type(screen.getByTestId("price-amount"), "20");
    expect(screen.getByTestId("post-price")).toHaveTextContent("Lock for 20 tokens");
    await user.click(screen.getByTestId("composer-publish"));

    await waitFor(() => expect(router.state.location.pathname).toBe("/creators/ada"));
    const calls = server.requests
      .filter((r) => r.path.startsWith("/api/posts"))
      .map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual(["POST /api/posts", `POST /api/posts/${DRAFT_ID}/publish`]);
    expect(server.to("POST", "/api/posts")[0].body).toEqual({
      caption: "Line one\nLine two",
      media_ids: [mediaId(3), mediaId(1), mediaId(2)],
      price: 20,
    });
  });

  it("counts the caption up to its 2200 limit", async () => {
    startSession(makeSession("t1", creator));
    const Xhr = installFakeXhr();
    const server = mockApi(composerRoutes(mediaRoutes(1, () => "ready")));
    const { user } = renderApp("/upload");
    await pickReady(Xhr, 1);
    const caption = screen.getByTestId("post-caption-input");
    expect(caption).toHaveAttribute("maxLength", "2200");
    await user.type(caption, "Hello");
    expect(screen.getByTestId("post-caption-count")).toHaveTextContent("5/2200 characters");
    expect(caption).toHaveAccessibleDescription("5/2200 characters");

    // A longer text (pasted, say) is refused before anything is sent.
    fireEvent.change(caption, { target: { value: "x".repeat(2201) } });
    expect(screen.getByTestId("post-caption-count")).toHaveTextContent("2201/2200 characters");
    expect(screen.getByTestId("field-error-caption")).toHaveTextContent(
      "Keep the caption to 2200 characters.",
    );
    await user.click(screen.getByTestId("composer-publish"));
    expect(screen.getByTestId("composer-problem")).toHaveTextContent(
      "Keep the caption to 2200 characters.",
    );
    expect(server.to("POST", "/api/posts")).toEqual([]);
  });

  it("refuses a price that is not a whole number of tokens from 1 to 10000", async () => {
    startSession(makeSession("t1", creator));
    const Xhr = installFakeXhr();
    const server = mockApi(composerRoutes(mediaRoutes(1, () => "ready")));
    const { user } = renderApp("/upload");
    await pickReady(Xhr, 1);
    await user.click(screen.getByTestId("price-locked"));
    await user.type(screen.getByTestId("price-amount"), "10001");
    await user.click(screen.getByTestId("composer-publish"));
    expect(screen.getByTestId("field-error-price")).toHaveTextContent(
      "Enter a whole number of tokens from 1 to 10000.",
    );
    expect(server.to("POST", "/api/posts")).toEqual([]);
  });

  it("saves a draft (POST only), and saves it again on the same draft (PATCH)", async () => {
    startSession(makeSession("t1", creator));
    const Xhr = installFakeXhr();
    const server = mockApi(composerRoutes(mediaRoutes(2, () => "ready")));
    const { user, router } = renderApp("/upload");
    await pickReady(Xhr, 1);
    await user.type(screen.getByTestId("post-caption-input"), "Later");
    await user.click(screen.getByTestId("composer-save-draft"));
    expect(await screen.findByTestId("draft-saved")).toHaveTextContent("Draft saved.");
    expect(server.to("POST", "/api/posts")[0].body).toEqual({
      caption: "Later",
      media_ids: [mediaId(1)],
      price: 0,
    });
    expect(server.to("POST", `/api/posts/${DRAFT_ID}/publish`)).toEqual([]);
    expect(router.state.location.pathname).toBe("/upload");

    await pickReady(Xhr, 1, 1);
    await user.click(screen.getByTestId("composer-save-draft"));
    await waitFor(() => expect(server.to("PATCH", `/api/posts/${DRAFT_ID}`)).toHaveLength(1));
    expect(server.to("PATCH", `/api/posts/${DRAFT_ID}`)[0].body).toEqual({
      caption: "Later",
      media_ids: [mediaId(1), mediaId(2)],
      price: 0,
    });
    expect(server.to("POST", "/api/posts")).toHaveLength(1);
  });

  it("lists the drafts; Continue opens one, and Publish saves and publishes it", async () => {
    startSession(makeSession("t1", creator));
    installFakeXhr();
    const draft = postFrom({ caption: "Half done\nmore", media_ids: [mediaId(7)], price: 15 });
    const server = mockApi(
      composerRoutes({
        "GET /api/me/posts": () => json(200, page([draft])),
        [`GET /api/posts/${DRAFT_ID}`]: () => json(200, draft),
      }),
    );
    const { user, router } = renderApp("/upload");
    const list = await screen.findByTestId("draft-list");
    expect(list).toHaveTextContent("Half done");
    expect(list).toHaveTextContent("1 photo");
    const [request] = server.to("GET", "/api/me/posts");
    expect(new URL(request.url, "http://localhost").searchParams.get("status")).toBe("draft");

    await user.click(within(list).getByRole("link", { name: "Continue the draft “Half done”" }));
    expect(await screen.findByRole("heading", { name: "Edit draft", level: 1 })).toBeVisible();
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]).toHaveAttribute("data-state", "ready");
    expect(screen.getByTestId("post-caption-input")).toHaveValue("Half done\nmore");
    expect(screen.getByTestId("price-amount")).toHaveValue(15);
    expect(within(screen.getByTestId("draft-list")).getByText("Editing")).toBeVisible();

    await user.click(screen.getByTestId("composer-publish"));
    await waitFor(() => expect(router.state.location.pathname).toBe("/creators/ada"));
    const calls = server.requests
      .filter((r) => r.path.startsWith("/api/posts") && r.method !== "GET")
      .map((r) => `${r.method} ${r.path}`);
    expect(calls).toEqual([`PATCH /api/posts/${DRAFT_ID}`, `POST /api/posts/${DRAFT_ID}/publish`]);
  });

  it("deletes a draft after confirming", async () => {
    startSession(makeSession("t1", creator));
    let drafts = [postFrom({ caption: "Scrap", media_ids: [mediaId(7)], price: 0 })];
    const server = mockApi(
      composerRoutes({
        "GET /api/me/posts": () => json(200, page(drafts)),
        [`DELETE /api/posts/${DRAFT_ID}`]: () => {
          drafts = [];
          return noContent();
        },
      }),
    );
    const { user } = renderApp("/upload");
    await user.click(await screen.findByRole("button", { name: "Delete the draft “Scrap”" }));
    const dialog = screen.getByRole("dialog", { name: "Delete this draft?" });
    expect(dialog).toHaveTextContent("Its 1 photo will be removed too.");
    await user.click(within(dialog).getByTestId("post-delete-confirm"));
    expect(await screen.findByText(/No drafts/)).toBeVisible();
    expect(server.to("DELETE", `/api/posts/${DRAFT_ID}`)).toHaveLength(1);
  });

  it("refreshes the token once on a 401 and sends the file again", async () => {
    startSession(makeSession("old", creator));
    const Xhr = installFakeXhr();
    mockApi(
      composerRoutes({
        "POST /api/auth/refresh": () => json(200, makeSession("new", creator)),
        ...mediaRoutes(1, () => "ready"),
      }),
    );
    renderApp("/upload");
    choose(photo());
    const first = await sent(Xhr, 1);
    act(() =>
      first.respond(401, {
        error: { code: "invalid_token", message: "Expired.", request_id: "r", details: null },
      }),
    );
    const second = await sent(Xhr, 2);
    expect(second.headers.Authorization).toBe("Bearer new");
    expect(getAccessToken()).toBe("new");
    act(() => second.respond(202, { id: mediaId(1), status: "processing" }));
    await waitFor(() => expect(rows()[0]).toHaveAttribute("data-state", "ready"));
  });

  it("is for creators only", async () => {
    startSession(makeSession("t1"));
    mockApi({});
    renderApp("/upload");
    expect(await screen.findByText("Only creators can post photos.")).toBeVisible();
    expect(screen.queryByTestId("composer-input")).not.toBeInTheDocument();
    expect(screen.queryByTestId("nav-upload")).not.toBeInTheDocument();
  });
});
