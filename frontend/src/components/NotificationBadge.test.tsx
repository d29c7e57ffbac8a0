import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { endSession, startSession } from "../api/session";
import { json, makeSession, mockApi } from "../test/api";
import { makeNotification, page } from "../test/data";
import { renderApp } from "../test/render";
import { notificationEvent, sseServer } from "../test/stream";

describe("the unread badge, fed live by the stream", () => {
  it("counts new notifications as they arrive and refetches after reconnecting", async () => {
    startSession(makeSession("t1"));
    const sse = sseServer();
    let serverCount = 0;
    const server = mockApi({
      "GET /api/notifications/stream": sse.handler,
      "GET /api/notifications/unread-count": () => json(200, { count: serverCount }),
    });
    renderApp("/dashboard");

    await waitFor(() => expect(sse.connections).toBe(1));
    await waitFor(() =>
      expect(server.to("GET", "/api/notifications/unread-count").length).toBeGreaterThan(0),
    );
    expect(screen.queryByTestId("notification-badge")).not.toBeInTheDocument();

    serverCount = 1;
    sse.write(": keep-alive\n\n");
    sse.write(notificationEvent(makeNotification({ id: 10 })));
    expect(await screen.findByTestId("notification-badge")).toHaveTextContent(/^1$/);
    const nav = screen.getByTestId("nav-notifications");
    expect(within(nav).getByText("(1 unread)")).toBeInTheDocument();

    serverCount = 2;
    sse.write(notificationEvent(makeNotification({ id: 11, kind: "tip", data: { amount: 5 } })));
    await waitFor(() => expect(screen.getByTestId("notification-badge")).toHaveTextContent(/^2$/));

    // The server ends the stream (the token expired); the client reconnects and, since
    // nothing is replayed, asks for the count again.
    serverCount = 5;
    const asked = server.to("GET", "/api/notifications/unread-count").length;
    sse.end();
    await waitFor(() => expect(sse.connections).toBe(2));
    await waitFor(() =>
      expect(server.to("GET", "/api/notifications/unread-count").length).toBeGreaterThan(asked),
    );
    await waitFor(() => expect(screen.getByTestId("notification-badge")).toHaveTextContent(/^5$/));
  });

  it("shows new notifications on the dashboard and keeps one stream, closed on sign-out", async () => {
    startSession(makeSession("t1"));
    const sse = sseServer();
    let items = [makeNotification({ id: 1, read_at: "2026-01-01T00:00:00Z" })];
    const server = mockApi({
      "GET /api/notifications/stream": sse.handler,
      "GET /api/notifications": () => json(200, page(items)),
      "GET /api/notifications/unread-count": () =>
        json(200, { count: items.filter((n) => !n.read_at).length }),
    });
    const { router } = renderApp("/dashboard");
    const list = await screen.findByTestId("dashboard-notifications");
    expect(list).toHaveTextContent("Demo Fan followed you");

    items = [
      makeNotification({ id: 2, kind: "purchase", data: { tokens: 100, purchase_id: "p" } }),
      ...items,
    ];
    sse.write(notificationEvent(items[0]));
    await waitFor(() =>
      expect(screen.getByTestId("dashboard-notifications")).toHaveTextContent(
        "100 tokens added to your wallet",
      ),
    );
    await router.navigate("/creators");
    await router.navigate("/dashboard");
    expect(sse.connections).toBe(1);

    const [stream] = server.to("GET", "/api/notifications/stream");
    expect(stream.init.signal?.aborted).toBe(false);
    endSession("logout");
    await waitFor(() => expect(stream.init.signal?.aborted).toBe(true));
    expect(sse.connections).toBe(1);
  });
});
