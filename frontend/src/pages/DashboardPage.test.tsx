import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { startSession } from "../api/session";
import { json, makeSession, mockApi } from "../test/api";
import { makeCreator, makeMedia, page } from "../test/data";
import { makeLockedPost, makePost } from "../test/posts";
import { renderApp } from "../test/render";

describe("dashboard", () => {
  it("shows who you follow, their latest posts, your balance and notifications", async () => {
    startSession(makeSession("t1"));
    const grace = makeCreator();
    const lockedPost = makeLockedPost({ id: "p0000000-0000-4000-8000-000000000002" });
    mockApi({
      "GET /api/wallet": () => json(200, { balance: 42 }),
      "GET /api/me/following": () => json(200, page([grace])),
      "GET /api/feed": () =>
        json(
          200,
          page([
            { media: null, creator: grace, post: lockedPost },
            { media: makeMedia(), creator: grace, post: makePost() },
          ]),
        ),
    });
    renderApp("/dashboard");
    expect(await screen.findByTestId("dashboard-balance")).toHaveTextContent(/^42$/);
    expect(screen.getByTestId("header-balance")).toHaveTextContent(/^42$/);
    const following = await screen.findByTestId("dashboard-following");
    expect(within(following).getByTestId("following-item-grace")).toHaveAttribute(
      "href",
      "/creators/grace",
    );
    const feed = await screen.findByTestId("dashboard-feed");
    const locked = within(feed).getByTestId(`feed-item-${lockedPost.id}`);
    expect(within(locked).getByRole("link", { name: "Grace Hopper" })).toHaveAttribute(
      "href",
      "/creators/grace",
    );
    expect(within(locked).getByTestId("post-photo-count")).toHaveTextContent("3 photos");
    expect(within(locked).getByTestId("unlock-button")).toHaveTextContent("Unlock for 20 tokens");
    const free = within(feed).getByTestId(`feed-item-${makePost().id}`);
    expect(within(free).getByTestId("post-photo")).toHaveAttribute(
      "src",
      makePost().photos[0].thumbnails["960"].url,
    );
    expect(await screen.findByTestId("dashboard-notifications")).toHaveTextContent(
      "No notifications yet.",
    );
  });

  it("has helpful empty states for fans, and no Upload link", async () => {
    startSession(makeSession("t1"));
    mockApi({});
    renderApp("/dashboard");
    expect(await screen.findByTestId("dashboard-following")).toHaveTextContent(
      "You don't follow anyone yet.",
    );
    expect(screen.getByRole("link", { name: "Buy tokens" })).toHaveAttribute("href", "/wallet");
    expect(screen.queryByTestId("nav-upload")).not.toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Earnings" })).not.toBeInTheDocument();
  });

  it("explains a negative balance", async () => {
    startSession(makeSession("t1"));
    mockApi({ "GET /api/wallet": () => json(200, { balance: -3 }) });
    renderApp("/dashboard");
    expect(await screen.findByText(/You owe 3 tokens after a refund/)).toBeVisible();
    expect(screen.getByTestId("header-balance")).toHaveTextContent(/^-3$/);
  });
});
