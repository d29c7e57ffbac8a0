import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { startSession } from "../api/session";
import { apiError, deferred, json, makeSession, mockApi } from "../test/api";
import { makeCreator, makeMedia, page } from "../test/data";
import { makePost } from "../test/posts";
import { renderApp } from "../test/render";

function profileRoutes() {
  return {
    "GET /api/creators/grace": () => json(200, makeCreator()),
    "GET /api/creators/grace/media": () => json(200, page([makeMedia()])),
  };
}

describe("following a creator", () => {
  it("shows the follow at once, then the server's exact count", async () => {
    startSession(makeSession("t1"));
    const answer = deferred<Response>();
    const server = mockApi({
      ...profileRoutes(),
      "PUT /api/creators/grace/follow": () => answer.promise,
    });
    const { user } = renderApp("/creators/grace");

    const button = await screen.findByTestId("follow-button");
    expect(button).toHaveTextContent("Follow");
    expect(button).toHaveAttribute("aria-pressed", "false");
    expect(screen.getByTestId("follower-count")).toHaveTextContent("41");

    await user.click(button);
    // Before the server has answered:
    expect(button).toHaveTextContent("Following");
    expect(button).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByTestId("follower-count")).toHaveTextContent(/^42$/);

    answer.resolve(json(200, { handle: "grace", following: true, follower_count: 50 }));
    await waitFor(() => expect(screen.getByTestId("follower-count")).toHaveTextContent(/^50$/));
    expect(server.to("PUT", "/api/creators/grace/follow")).toHaveLength(1);
  });

  it("rolls back and says why when the server refuses", async () => {
    startSession(makeSession("t1"));
    const answer = deferred<Response>();
    mockApi({ ...profileRoutes(), "PUT /api/creators/grace/follow": () => answer.promise });
    const { user } = renderApp("/creators/grace");

    const button = await screen.findByTestId("follow-button");
    await user.click(button);
    expect(screen.getByTestId("follower-count")).toHaveTextContent(/^42$/);

    answer.resolve(
      apiError(
        429,
        "rate_limited",
        "Too many requests.",
        { retry_after: 30 },
        { "Retry-After": "30" },
      ),
    );
    expect(await screen.findByTestId("follow-error")).toHaveTextContent(
      "Couldn't follow Grace Hopper: Too many requests. You can try again in 30 seconds.",
    );
    expect(button).toHaveTextContent("Follow");
    expect(button).toHaveAttribute("aria-pressed", "false");
    expect(screen.getByTestId("follower-count")).toHaveTextContent(/^41$/);
  });

  it("unfollows the same way", async () => {
    startSession(makeSession("t1"));
    const server = mockApi({
      "GET /api/creators/grace": () => json(200, makeCreator({ is_following: true })),
      "GET /api/creators/grace/media": () => json(200, page([])),
      "DELETE /api/creators/grace/follow": () =>
        json(200, { handle: "grace", following: false, follower_count: 40 }),
    });
    const { user } = renderApp("/creators/grace");
    const button = await screen.findByTestId("follow-button");
    expect(button).toHaveTextContent("Following");
    await user.click(button);
    await waitFor(() => expect(screen.getByTestId("follower-count")).toHaveTextContent(/^40$/));
    expect(button).toHaveTextContent("Follow");
    expect(server.to("DELETE", "/api/creators/grace/follow")).toHaveLength(1);
  });

  it("shows the profile: counts, the posts, no follow button on one's own", async () => {
    startSession(makeSession("t1"));
    mockApi({
      ...profileRoutes(),
      "GET /api/creators/ada": () =>
        json(
          200,
          makeCreator({
            id: "3f1c2f0e-0000-4000-8000-000000000001",
            handle: "ada",
            display_name: "Ada Lovelace",
          }),
        ),
      "GET /api/creators/grace/posts": () => json(200, page([makePost()])),
      "GET /api/creators/ada/posts": () => json(200, page([])),
    });
    const { router } = renderApp("/creators/grace");
    expect(await screen.findByTestId("media-count")).toHaveTextContent(/^1$/);
    expect(await screen.findByTestId("post-photo")).toHaveAttribute(
      "src",
      makePost().photos[0].thumbnails["960"].url,
    );

    await router.navigate("/creators/ada");
    expect(await screen.findByRole("heading", { name: "Ada Lovelace", level: 1 })).toBeVisible();
    await waitFor(() => expect(screen.queryByTestId("follow-button")).not.toBeInTheDocument());
    expect(screen.queryByTestId("tip-button")).not.toBeInTheDocument();
    expect(await screen.findByText("You haven't posted anything yet.")).toBeVisible();
  });

  it("says when there is no such creator", async () => {
    startSession(makeSession("t1"));
    mockApi({ "GET /api/creators/nobody": () => apiError(404, "not_found", "No such creator.") });
    renderApp("/creators/nobody");
    expect(await screen.findByRole("heading", { name: "Creator not found" })).toBeVisible();
  });
});
