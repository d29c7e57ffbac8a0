import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { startSession } from "../api/session";
import { deferred, json, makeSession, mockApi } from "../test/api";
import { makeNotification, page } from "../test/data";
import { renderApp } from "../test/render";

const ALL = [
  makeNotification({
    id: 5,
    kind: "tip",
    data: { from: { handle: "fan", display_name: "Demo Fan" }, amount: 5, message: "Bravo" },
  }),
  makeNotification({ id: 4, kind: "purchase", data: { tokens: 100, purchase_id: "p" } }),
  makeNotification({
    id: 3,
    kind: "refund",
    data: { tokens: 40, purchase_id: "p" },
    read_at: "2026-01-01T00:00:00Z",
  }),
  makeNotification({
    id: 2,
    kind: "media_ready",
    data: { media_id: "m", thumbnail_url: "/media/x.webp" },
  }),
  makeNotification({ id: 1, kind: "brand_new_kind", data: {}, read_at: "2026-01-01T00:00:00Z" }),
];

describe("notifications", () => {
  it("renders each kind, marks unread ones, and marks all as read", async () => {
    startSession(makeSession("t1"));
    let items = ALL;
    const answer = deferred<Response>();
    const server = mockApi({
      "GET /api/notifications": () => json(200, page(items)),
      "GET /api/notifications/unread-count": () =>
        json(200, { count: items.filter((n) => !n.read_at).length }),
      "POST /api/notifications/read": () => answer.promise,
    });
    const { user } = renderApp("/notifications");

    const list = await screen.findByTestId("notification-list");
    const rows = within(list).getAllByTestId("notification-item");
    expect(rows.map((row) => row.querySelector(".notice-text")?.textContent)).toEqual([
      "Unread: Demo Fan tipped you 5 tokens: “Bravo”",
      "Unread: 100 tokens added to your wallet",
      "40 tokens were taken back after a refund",
      "Unread: Your photo is ready",
      "You have a new notification",
    ]);
    expect(rows.map((row) => row.getAttribute("data-unread"))).toEqual([
      "true",
      "true",
      "false",
      "true",
      "false",
    ]);
    expect(await screen.findByTestId("notification-badge")).toHaveTextContent(/^3$/);

    await user.click(screen.getByTestId("mark-all-read"));
    // At once, before the server answers:
    expect(list.querySelectorAll('[data-unread="true"]')).toHaveLength(0);
    items = items.map((n) => ({ ...n, read_at: n.read_at ?? "2026-01-02T00:00:00Z" }));
    answer.resolve(json(200, { updated: 3, unread: 0 }));
    await waitFor(() => expect(screen.queryByTestId("notification-badge")).not.toBeInTheDocument());
    expect(server.to("POST", "/api/notifications/read")[0].body).toEqual({ all: true });
    expect(screen.getByTestId("mark-all-read")).toBeDisabled();
  });

  it("marks one as read", async () => {
    startSession(makeSession("t1"));
    let items = ALL;
    const server = mockApi({
      "GET /api/notifications": () => json(200, page(items)),
      "POST /api/notifications/read": () => {
        items = items.map((n) => (n.id === 5 ? { ...n, read_at: "2026-01-02T00:00:00Z" } : n));
        return json(200, { updated: 1, unread: 2 });
      },
    });
    const { user } = renderApp("/notifications");
    const [first] = await screen.findAllByTestId("notification-item");
    await user.click(within(first).getByRole("button", { name: "Mark as read" }));
    expect(first).toHaveAttribute("data-unread", "false");
    await waitFor(() => expect(server.to("GET", "/api/notifications").length).toBeGreaterThan(1));
    expect(screen.getAllByTestId("notification-item")[0]).toHaveAttribute("data-unread", "false");
    expect(server.to("POST", "/api/notifications/read")[0].body).toEqual({ ids: [5] });
  });

  it("filters the unread ones and says when there are none", async () => {
    startSession(makeSession("t1"));
    const server = mockApi({ "GET /api/notifications": () => json(200, page([])) });
    const { user } = renderApp("/notifications");
    expect(await screen.findByText(/Nothing yet/)).toBeVisible();
    await user.click(screen.getByRole("button", { name: "Unread" }));
    expect(await screen.findByText("No unread notifications.")).toBeVisible();
    expect(server.to("GET", "/api/notifications").at(-1)?.url).toContain("unread=true");
  });
});
