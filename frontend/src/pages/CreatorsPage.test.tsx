import { screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { startSession } from "../api/session";
import { apiError, json, makeSession, mockApi, type RecordedRequest } from "../test/api";
import { makeCreator } from "../test/data";
import { renderApp } from "../test/render";

const creator = (handle: string) => ({
  ...makeCreator({ handle, display_name: handle.toUpperCase() }),
  id: `id-${handle}`,
});

function listing(request: RecordedRequest) {
  const params = new URL(request.url, "http://x").searchParams;
  const q = params.get("q") ?? "";
  if (q)
    return json(200, {
      items: ["grace", "gary"].filter((h) => h.includes(q)).map(creator),
      next_cursor: null,
    });
  return params.get("cursor") === "p2"
    ? json(200, { items: [creator("hedy")], next_cursor: null })
    : json(200, { items: [creator("ada"), creator("grace")], next_cursor: "p2" });
}

describe("creators", () => {
  it("lists creators, loads more, and links each card to its profile", async () => {
    startSession(makeSession("t1"));
    mockApi({ "GET /api/creators": listing });
    const { user } = renderApp("/creators");
    expect(await screen.findByTestId("creator-card-ada")).toHaveAttribute("href", "/creators/ada");
    expect(screen.queryByTestId("creator-card-hedy")).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Show more creators" }));
    expect(await screen.findByTestId("creator-card-hedy")).toBeVisible();
    expect(screen.queryByRole("button", { name: "Show more creators" })).not.toBeInTheDocument();
  });

  it("searches as you type (debounced) and keeps the query in the address", async () => {
    startSession(makeSession("t1"));
    const server = mockApi({ "GET /api/creators": listing });
    const { user, router } = renderApp("/creators");
    await screen.findByTestId("creator-card-ada");
    await user.type(screen.getByTestId("creator-search"), "gra");
    await waitFor(() => expect(screen.queryByTestId("creator-card-ada")).not.toBeInTheDocument());
    expect(screen.getByTestId("creator-card-grace")).toBeVisible();
    expect(router.state.location.search).toBe("?q=gra");
    const searches = server.to("GET", "/api/creators").map((r) => r.url);
    expect(searches.filter((url) => url.includes("q="))).toEqual([
      "/api/creators?q=gra&sort=popular&limit=24",
    ]);

    await user.clear(screen.getByTestId("creator-search"));
    await user.type(screen.getByTestId("creator-search"), "zzz");
    expect(await screen.findByText("No creator matches “zzz”.")).toBeVisible();
  });

  it("shows an error with a retry", async () => {
    startSession(makeSession("t1"));
    let down = true;
    mockApi({
      "GET /api/creators": (r) =>
        down ? apiError(503, "unavailable", "Down for a moment.") : listing(r),
    });
    const { user } = renderApp("/creators");
    expect(
      await screen.findByText(/Down for a moment\./, undefined, { timeout: 5000 }),
    ).toBeVisible();
    down = false;
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("creator-card-ada")).toBeVisible();
  });
});
