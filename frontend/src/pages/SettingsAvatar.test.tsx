import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { startSession } from "../api/session";
import { fieldErrors, json, makeSession, makeUser, mockApi } from "../test/api";
import { makeMedia, page } from "../test/data";
import { renderApp } from "../test/render";

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

  it("tells fans where pictures come from", async () => {
    startSession(makeSession("t1"));
    const server = mockApi({});
    renderApp("/settings");
    expect(await screen.findByTestId("avatar-picker")).toHaveTextContent(
      "only creators upload photos",
    );
    expect(server.to("GET", "/api/creators/ada/media")).toHaveLength(0);
  });
});
