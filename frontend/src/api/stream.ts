/**
 * The live notification stream: Server-Sent Events read with `fetch` (EventSource cannot send
 * the Authorization header, and the token never goes in a URL).
 *
 * The server ends the stream when the access token it was opened with expires; by then the
 * session has usually been refreshed (refresh.ts), so the next connection uses the new token
 * at once. Failures back off (1 s, 2 s, 4 s ... up to 30 s, with jitter). Every (re)connection
 * calls `onOpen`, because nothing missed in between is replayed: refetch what the page shows.
 */
import { apiUrl } from "./config";
import { EXPIRY_MARGIN_MS, refreshAccessToken, sessionKnown } from "./refresh";
import { getAccessToken, hasFreshToken } from "./session";
import type { Notification } from "./types";

export interface SseEvent {
  event: string;
  data: string;
  id: string | null;
}

/**
 * An incremental parser of the `text/event-stream` format: feed it decoded text as it
 * arrives, in chunks of any size; it returns the events completed so far.
 */
export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private eventType = "";
  private lastId: string | null = null;
  private afterCR = false;
  /** The server's `retry:` in milliseconds, if it sent one. */
  retry: number | null = null;

  feed(chunk: string): SseEvent[] {
    // A \r ended the previous chunk: a \n starting this one belongs to it.
    if (this.afterCR && chunk.startsWith("\n")) chunk = chunk.slice(1);
    this.afterCR = false;
    this.buffer += chunk;
    const events: SseEvent[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      if (match[0] === "\r" && this.buffer === "") this.afterCR = true;
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === "") {
      if (this.data.length === 0) {
        this.eventType = "";
        return null;
      }
      const event = {
        event: this.eventType || "message",
        data: this.data.join("\n"),
        id: this.lastId,
      };
      this.data = [];
      this.eventType = "";
      return event;
    }
    if (line.startsWith(":")) return null; // a comment: keep-alive
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.eventType = value;
        break;
      case "data":
        this.data.push(value);
        break;
      case "id":
        if (!value.includes("\0")) this.lastId = value;
        break;
      case "retry":
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
    }
    return null;
  }
}

export interface StreamHandlers {
  /** Connected (again): refetch the unread count and lists, since nothing is replayed. */
  onOpen?: () => void;
  onNotification: (notification: Notification) => void;
  /** The stream went away and will be retried after `delayMs`. */
  onDisconnect?: (delayMs: number) => void;
}

export const MAX_BACKOFF_MS = 30_000;
/** A connection that lasted this long was healthy: the next failure starts the backoff anew. */
const HEALTHY_MS = 20_000;

/** 0 for the first retry after a healthy stream, then 1 s, 2 s, 4 s ... with jitter. */
export function backoffDelay(failures: number, random: () => number = Math.random): number {
  if (failures <= 0) return 0;
  const ceiling = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (failures - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

function isNotification(value: unknown): value is Notification {
  if (typeof value !== "object" || value === null) return false;
  const n = value as Record<string, unknown>;
  return typeof n.id === "number" && typeof n.kind === "string" && typeof n.created_at === "string";
}

async function readEvents(
  body: ReadableStream<Uint8Array>,
  parser: SseParser,
  handlers: StreamHandlers,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const event of parser.feed(decoder.decode(value, { stream: true }))) {
        if (event.event !== "notification") continue;
        let parsed: unknown;
        try {
          parsed = JSON.parse(event.data);
        } catch {
          continue; // a malformed event must not end the stream
        }
        if (isNotification(parsed)) handlers.onNotification(parsed);
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Keep one stream open while signed in; returns a function that closes it. It also stops by
 * itself when the session ends (no token, or the refresh says the session is over).
 */
export function connectNotificationStream(handlers: StreamHandlers): () => void {
  const controller = new AbortController();
  const { signal } = controller;

  async function run() {
    let failures = 0;
    // Set after a 401 made us refresh: a second 401 in a row backs off instead.
    let retriedAuth = false;
    const retryAfterFailure = async () => {
      failures += 1;
      const delay = backoffDelay(failures);
      handlers.onDisconnect?.(delay);
      await sleep(delay, signal);
    };

    while (!signal.aborted) {
      await sessionKnown();
      let token = getAccessToken();
      if (token === null) return; // signed out
      try {
        if (!hasFreshToken(EXPIRY_MARGIN_MS)) token = await refreshAccessToken(token);
      } catch {
        await retryAfterFailure(); // offline: try again later
        continue;
      }
      if (token === null || signal.aborted) return;

      let response: Response;
      try {
        response = await fetch(apiUrl("/api/notifications/stream"), {
          headers: { Accept: "text/event-stream", Authorization: `Bearer ${token}` },
          cache: "no-store",
          signal,
        });
      } catch {
        if (signal.aborted) return;
        await retryAfterFailure();
        continue;
      }

      if (response.status === 401) {
        void response.body?.cancel();
        let fresh: string | null;
        try {
          fresh = await refreshAccessToken(token);
        } catch {
          await retryAfterFailure();
          continue;
        }
        if (fresh === null) return; // the session is over
        if (retriedAuth) await retryAfterFailure();
        retriedAuth = true; // retry at once with the new token, once
        continue;
      }
      retriedAuth = false;
      if (!response.ok || !response.body) {
        void response.body?.cancel();
        await retryAfterFailure();
        continue;
      }

      const openedAt = Date.now();
      const parser = new SseParser();
      handlers.onOpen?.();
      try {
        await readEvents(response.body, parser, handlers);
      } catch {
        // The connection broke (network, server restart) or we closed it.
      }
      if (signal.aborted) return;
      // Ended by the server (the token expired) or dropped: reconnect, promptly if it had
      // been healthy.
      if (Date.now() - openedAt >= HEALTHY_MS) failures = 0;
      if (failures === 0) {
        failures = 1;
        handlers.onDisconnect?.(0);
      } else {
        await retryAfterFailure();
      }
    }
  }

  void run();
  return () => controller.abort();
}
