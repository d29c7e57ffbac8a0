import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { startSession } from "../api/session";
import { fieldErrors, json, makeSession, makeUser, mockApi } from "../test/api";
import { makeMedia, page } from "../test/data";
import { renderApp } from "../test/render";
import { installFakeXhr } from "../test/xhr";

const creator = makeUser({ role: "creator", handle: "ada" });
const ready = makeMedia({ id: "m-ready" });
const processing = makeMedia({ id: "m-processing", status: "processing", thumbnails: {} });

describe("choosing an avatar", () => {
  it("offers one's own ready photos and saves the choice", async () => {
    startSession(makeSession("t1", creator));
    const server = mockApi({
      "GET /api/creators/ada/media": () => json(200, page([processing, ready])),
      "PATCH /api/me": () => json(200, { ...creator, avatar_url: ready.thumbnails["320"].url }),
    });
    const { user } = renderApp("/settings");
    const option = await screen.findByTestId("avatar-option-m-ready");
    expect(screen.queryByTestId("avatar-option-m-processing")).not.toBeInTheDocument();
    expect(screen.getByTestId("avatar-save")).toBeDisabled();

    await user.click(option);
    await user.click(screen.getByTestId("avatar-save"));
    expect(await screen.findByTestId("avatar-saved")).toHaveTextContent("Picture saved.");
    expect(server.to("PATCH", "/api/me")[0].body).toEqual({ avatar_media_id: "m-ready" });
    // The header's menu shows the new picture.
    await waitFor(() =>
      expect(screen.getByTestId("user-menu-button").querySelector("img")).toHaveAttribute(
        "src",
        ready.thumbnails["320"].url,
      ),
    );
    expect(screen.getByRole("radio", { name: /Your upload of/ })).toBeChecked();
  });

  it("removes the avatar, and shows the API's refusal", async () => {
    startSession(makeSession("t1", { ...creator, avatar_url: "/media/old.webp" }));
    let refuse = true;
    const server = mockApi({
      "GET /api/creators/ada/media": () => json(200, page([ready])),
      "PATCH /api/me": () =>
        refuse
          ? fieldErrors(["avatar_media_id", "Choose one of your own media that is ready."])
          : json(200, creator),
    });
    const { user } = renderApp("/settings");
    await user.click(await screen.findByTestId("avatar-option-m-ready"));
    await user.click(screen.getByTestId("avatar-save"));
    expect(await screen.findByTestId("avatar-error")).toHaveTextContent(
      "Choose one of your own media that is ready.",
    );
    refuse = false;
    await user.click(screen.getByTestId("avatar-option-none"));
    await user.click(screen.getByTestId("avatar-save"));
    expect(await screen.findByTestId("avatar-saved")).toBeVisible();
    expect(server.to("PATCH", "/api/me").at(-1)?.body).toEqual({ avatar_media_id: null });
  });

  it("lets a fan upload a picture, with progress, and saves it once it is ready", async () => {
    const fan = makeUser({ role: "fan", handle: "fan" });
    startSession(makeSession("t1", fan));
    const Xhr = installFakeXhr();
    let status: "processing" | "ready" = "processing";
    const picture = makeMedia({ id: "m-new" });
    const server = mockApi({
      "GET /api/media/m-new": () =>
        json(200, status === "ready" ? picture : { ...picture, status, thumbnails: {} }),
      "PATCH /api/me": () => json(200, { ...fan, avatar_url: picture.thumbnails["320"].url }),
    });
    renderApp("/settings");
    const input = await screen.findByTestId("picture-upload-input");
    expect(server.to("GET", "/api/creators/fan/media")).toHaveLength(0);

    fireEvent.change(input, { target: { files: [new File([new Uint8Array(64)], "me.png")] } });
    const sent = await waitFor(() => {
      expect(Xhr.sent).toHaveLength(1);
      return Xhr.sent[0];
    });
    expect(sent.url).toBe("/api/me/avatar");
    act(() => sent.progress(32, 64));
    expect(await screen.findByTestId("picture-upload-progress")).toHaveAttribute("value", "0.5");
    act(() => sent.respond(202, { id: "m-new", status: "processing" }));
    await waitFor(() => expect(server.to("GET", "/api/media/m-new").length).toBeGreaterThan(0));
    expect(server.to("PATCH", "/api/me")).toHaveLength(0); // not before it is ready
    status = "ready";

    expect(await screen.findByTestId("picture-upload-saved", {}, { timeout: 4000 })).toBeVisible();
    expect(server.to("PATCH", "/api/me")[0].body).toEqual({ avatar_media_id: "m-new" });
  });

  it("says why a picture could not be used", async () => {
    startSession(makeSession("t1", makeUser({ role: "fan", handle: "fan" })));
    const Xhr = installFakeXhr();
    mockApi({
      "GET /api/media/m-bad": () =>
        json(200, makeMedia({ id: "m-bad", status: "failed", failure_reason: "Not a picture." })),
    });
    renderApp("/settings");
    fireEvent.change(await screen.findByTestId("picture-upload-input"), {
      target: { files: [new File([new Uint8Array(8)], "x.png")] },
    });
    const sent = await waitFor(() => {
      expect(Xhr.sent).toHaveLength(1);
      return Xhr.sent[0];
    });
    act(() => sent.respond(202, { id: "m-bad", status: "processing" }));
    expect(await screen.findByTestId("picture-upload-error")).toHaveTextContent("Not a picture.");
  });
});
