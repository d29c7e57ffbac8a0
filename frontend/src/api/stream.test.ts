import { describe, expect, it, vi } from "vitest";
import { startSession } from "../api/session";
import { apiError, bearer, json, makeSession, mockApi } from "../test/api";
import { notificationEvent, sseServer } from "../test/stream";
import { backoffDelay, connectNotificationStream, SseParser, MAX_BACKOFF_MS } from "./stream";
import type { Notification } from "./types";

const notice = (id: number, kind = "follow"): Notification => ({
  id,
  kind,
  data: {},
  created_at: "2026-01-01T00:00:00Z",
  read_at: null,
});

describe("SseParser", () => {
  it("parses events split across chunks anywhere, with comments and every line ending", () => {
    const parser = new SseParser();
    const text =
      'retry: 5000\n\n: keep-alive\n\nid: 7\r\nevent: notification\r\ndata: {"a":\r\ndata: 1}\r\n\r\n' +
      "event: notification\rdata: second\r\r";
    const events = [];
    for (const char of text) events.push(...parser.feed(char));
    expect(events).toEqual([
      { event: "notification", data: '{"a":\n1}', id: "7" },
      { event: "notification", data: "second", id: "7" },
    ]);
    expect(parser.retry).toBe(5000);
  });

  it("ignores comments and events without data, and defaults the type to message", () => {
    const parser = new SseParser();
    expect(parser.feed(": keep-alive\n\nevent: ping\n\ndata:x\n\n")).toEqual([
      { event: "message", data: "x", id: null },
    ]);
  });
});

describe("backoffDelay()", () => {
  it("doubles from one second up to thirty, with jitter", () => {
    const top = () => 1; // the upper end of the jitter
    expect(backoffDelay(0, top)).toBe(0);
    expect(backoffDelay(1, top)).toBe(1000);
    expect(backoffDelay(2, top)).toBe(2000);
    expect(backoffDelay(4, top)).toBe(8000);
    expect(backoffDelay(20, top)).toBe(MAX_BACKOFF_MS);
    expect(backoffDelay(3, () => 0)).toBe(2000); // half, at the lower end
  });
});

describe("connectNotificationStream()", () => {
  it("sends the token in the header (never the URL) and delivers notifications", async () => {
    startSession(makeSession("t1"));
    const sse = sseServer();
    const server = mockApi({ "GET /api/notifications/stream": sse.handler });
    const received: Notification[] = [];
    const onOpen = vi.fn();
    const stop = connectNotificationStream({ onOpen, onNotification: (n) => received.push(n) });

    await vi.waitFor(() => expect(onOpen).toHaveBeenCalledTimes(1));
    const [request] = server.to("GET", "/api/notifications/stream");
    expect(bearer(request)).toBe("t1");
    expect(request.url).toBe("/api/notifications/stream");
    expect(request.headers.get("Accept")).toBe("text/event-stream");

    sse.write(": keep-alive\n\n");
    sse.write(notificationEvent(notice(1)).slice(0, 20));
    sse.write(notificationEvent(notice(1)).slice(20));
    sse.write("event: notification\ndata: not json\n\n");
    sse.write(notificationEvent(notice(2, "tip")));
    await vi.waitFor(() => expect(received.map((n) => n.id)).toEqual([1, 2]));
    stop();
  });

  it("reconnects with the refreshed token when the server ends the stream, and refetches", async () => {
    startSession(makeSession("t1"));
    const sse = sseServer();
    const server = mockApi({
      "GET /api/notifications/stream": (r) =>
        bearer(r) === "t1" && sse.connections > 0
          ? apiError(401, "invalid_token", "The access token has expired.")
          : sse.handler(r),
      "POST /api/auth/refresh": () => json(200, makeSession("t2")),
    });
    const onOpen = vi.fn();
    const stop = connectNotificationStream({ onOpen, onNotification: () => undefined });
    await vi.waitFor(() => expect(onOpen).toHaveBeenCalledTimes(1));

    sse.end(); // the token it was opened with expired
    await vi.waitFor(() => expect(onOpen).toHaveBeenCalledTimes(2));
    expect(server.to("GET", "/api/notifications/stream").map(bearer)).toEqual(["t1", "t1", "t2"]);
    expect(server.to("POST", "/api/auth/refresh")).toHaveLength(1);
    stop();
  });

  it("backs off after failures and stops when the session is over", async () => {
    vi.useFakeTimers();
    try {
      startSession(makeSession("t1"));
      const server = mockApi({
        "GET /api/notifications/stream": () => apiError(503, "unavailable", "Try later."),
      });
      const delays: number[] = [];
      const stop = connectNotificationStream({
        onNotification: () => undefined,
        onDisconnect: (ms) => delays.push(ms),
      });
      await vi.advanceTimersByTimeAsync(0);
      expect(server.to("GET", "/api/notifications/stream")).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1000);
      expect(server.to("GET", "/api/notifications/stream")).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(2000);
      expect(server.to("GET", "/api/notifications/stream")).toHaveLength(3);
      expect(delays[0]).toBeGreaterThanOrEqual(500);
      expect(delays[0]).toBeLessThanOrEqual(1000);
      stop();
      await vi.advanceTimersByTimeAsync(60_000);
      expect(server.to("GET", "/api/notifications/stream")).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it("ends when the refresh says the session is over", async () => {
    startSession(makeSession("t1"));
    const server = mockApi({
      "GET /api/notifications/stream": () => apiError(401, "invalid_token", "Expired."),
      "POST /api/auth/refresh": () => apiError(401, "session_expired", "Sign in again."),
    });
    const stop = connectNotificationStream({ onNotification: () => undefined });
    await vi.waitFor(() => expect(server.to("POST", "/api/auth/refresh")).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.to("GET", "/api/notifications/stream")).toHaveLength(1);
    stop();
  });
});
