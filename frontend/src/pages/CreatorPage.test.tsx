import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { startSession } from "../api/session";
import { json, makeSession, makeUser, mockApi } from "../test/api";
import { makeCreator, page } from "../test/data";
import { CREATOR_ID, makeLockedPost, makePhoto, makePost } from "../test/posts";
import { renderApp } from "../test/render";

const fan = makeUser({ id: "f0000000-0000-4000-8000-000000000009", handle: "fan" });

function postId(n: number) {
  return `p0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

describe("the creator page's posts", () => {
  it("lists the posts newest first and loads the next page on request", async () => {
    startSession(makeSession("t1", fan));
    const first = [1, 2].map((n) =>
      makePost({ id: postId(n), caption: `Post ${n}`, photos: [makePhoto(n)] }),
    );
    const second = [makePost({ id: postId(3), caption: "Post 3", photos: [makePhoto(3)] })];
    const server = mockApi({
      "GET /api/creators/grace": () => json(200, makeCreator()),
      "GET /api/creators/grace/posts": (request) =>
        new URL(request.url, "http://localhost").searchParams.get("cursor") === "c2"
          ? json(200, page(second))
          : json(200, page(first, "c2")),
    });
    const { user } = renderApp("/creators/grace");

    const list = await screen.findByTestId("post-list");
    expect(screen.getByTestId("creator-profile")).toHaveTextContent("Grace Hopper");
    expect(
      within(list)
        .getAllByTestId("post-caption")
        .map((c) => c.textContent),
    ).toEqual(["Post 1", "Post 2"]);
    const [request] = server.to("GET", "/api/creators/grace/posts");
    expect(new URL(request.url, "http://localhost").searchParams.get("limit")).toBe("10");

    await user.click(screen.getByRole("button", { name: "Show more posts" }));
    await waitFor(() =>
      expect(
        within(list)
          .getAllByTestId("post-caption")
          .map((c) => c.textContent),
      ).toEqual(["Post 1", "Post 2", "Post 3"]),
    );
    expect(screen.queryByRole("button", { name: "Show more posts" })).not.toBeInTheDocument();
  });

  it("invites the creator to write a first post", async () => {
    startSession(makeSession("t1", makeUser({ id: CREATOR_ID, handle: "grace", role: "creator" })));
    mockApi({
      "GET /api/creators/grace": () => json(200, makeCreator()),
      "GET /api/creators/grace/posts": () => json(200, page([])),
    });
    renderApp("/creators/grace");
    const empty = await screen.findByTestId("post-list");
    expect(empty).toHaveTextContent("You haven't posted anything yet.");
    expect(within(empty).getByRole("link", { name: "Write a post" })).toHaveAttribute(
      "href",
      "/upload",
    );
  });

  it("says so when the posts cannot be loaded, and tries again", async () => {
    startSession(makeSession("t1", fan));
    let fail = true;
    mockApi({
      "GET /api/creators/grace": () => json(200, makeCreator()),
      "GET /api/creators/grace/posts": () =>
        fail
          ? json(500, {
              error: { code: "internal", message: "Boom.", request_id: "r1", details: null },
            })
          : json(200, page([makePost()])),
    });
    const { user } = renderApp("/creators/grace");
    expect(
      await screen.findByText("Couldn't load the posts.", {}, { timeout: 5000 }),
    ).toBeVisible();
    fail = false;
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("post-list")).toBeInTheDocument();
  });

  it("looks again until a locked post's blurred preview has been made", async () => {
    startSession(makeSession("t1", fan));
    let preview = false;
    const server = mockApi({
      "GET /api/creators/grace": () => json(200, makeCreator()),
      "GET /api/creators/grace/posts": () =>
        json(200, page([makeLockedPost(preview ? {} : { preview: null })])),
    });
    renderApp("/creators/grace");
    expect(await screen.findByTestId("post-locked")).toBeInTheDocument();
    expect(screen.queryByTestId("post-preview")).not.toBeInTheDocument();
    preview = true;
    expect(await screen.findByTestId("post-preview", {}, { timeout: 5000 })).toHaveAttribute(
      "src",
      "/media/preview-blur.webp",
    );
    const polls = server.to("GET", "/api/creators/grace/posts").length;
    expect(polls).toBe(2);
  });
});
