import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { startSession } from "../api/session";
import { json, makeSession, mockApi } from "../test/api";
import { makeCreator, makeMedia, page } from "../test/data";
import { renderApp } from "../test/render";

describe("dashboard", () => {
  it("shows who you follow, their latest photos, your balance and notifications", async () => {
    startSession(makeSession("t1"));
    const grace = makeCreator();
    mockApi({
      "GET /api/wallet": () => json(200, { balance: 42 }),
      "GET /api/me/following": () => json(200, page([grace])),
      "GET /api/feed": () => json(200, page([{ media: makeMedia(), creator: grace }])),
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
    expect(within(feed).getByRole("img")).toHaveAttribute("src", makeMedia().thumbnails["320"].url);
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
