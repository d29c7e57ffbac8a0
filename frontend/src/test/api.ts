/** A fetch mock that answers like the accounts API, and builders for its answers. */
import { vi } from "vitest";
import type { Session, User } from "../api/types";

export interface RecordedRequest {
  url: string;
  path: string;
  method: string;
  headers: Headers;
  body: unknown;
  init: RequestInit;
}

export type Handler = (request: RecordedRequest) => Response | Promise<Response>;

export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

export function apiError(
  status: number,
  code: string,
  message: string,
  details: unknown = null,
  headers: Record<string, string> = {},
): Response {
  return json(status, { error: { code, message, request_id: "req-123", details } }, headers);
}

export function fieldErrors(...fields: [field: string, message: string][]): Response {
  return apiError(422, "validation_error", "The request is not valid.", {
    fields: fields.map(([field, message]) => ({ field, message, type: "value_error" })),
  });
}

export function makeUser(overrides: Partial<User> = {}): User {
  return {
    id: "3f1c2f0e-0000-4000-8000-000000000001",
    email: "ada@example.com",
    handle: "ada",
    display_name: "Ada Lovelace",
    role: "fan",
    bio: "",
    avatar_url: null,
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
    ...overrides,
  };
}

export function makeSession(
  accessToken: string,
  user: User = makeUser(),
  expiresIn = 900,
): Session {
  return { access_token: accessToken, token_type: "bearer", expires_in: expiresIn, user };
}

export function bearer(request: RecordedRequest): string | null {
  return request.headers.get("Authorization")?.replace(/^Bearer /, "") ?? null;
}

/** An event stream that stays open (sending nothing) until the request is aborted. */
export function openStream(request: RecordedRequest, chunks: string[] = []): Response {
  const signal = request.init.signal;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      signal?.addEventListener("abort", () => {
        try {
          controller.error(new DOMException("The operation was aborted.", "AbortError"));
        } catch {
          // already closed
        }
      });
    },
  });
  return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

const emptyPage = () => json(200, { items: [], next_cursor: null });

/**
 * What every signed-in page asks for in the background (the header's balance and unread
 * count, the live stream, the dashboard's lists): calm defaults that tests may override.
 */
export const BACKGROUND_ROUTES: Record<string, Handler> = {
  "GET /api/wallet": () => json(200, { balance: 0 }),
  "GET /api/notifications/unread-count": () => json(200, { count: 0 }),
  "GET /api/notifications/stream": (request) => openStream(request),
  "GET /api/notifications": emptyPage,
  "GET /api/me/following": emptyPage,
  "GET /api/feed": emptyPage,
};

/**
 * Replace `fetch` with a router over `routes` ("METHOD /path" -> handler), on top of
 * BACKGROUND_ROUTES. Unknown routes answer 404 (not a network error, so a missing mock cannot
 * pass for a NetworkError test).
 */
export function mockApi(ownRoutes: Record<string, Handler>) {
  const routes = { ...BACKGROUND_ROUTES, ...ownRoutes };
  const requests: RecordedRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = init.method ?? "GET";
    const path = new URL(url, "http://localhost").pathname;
    const body =
      typeof init.body === "string" ? (JSON.parse(init.body) as unknown) : (init.body ?? undefined);
    const request = { url, path, method, headers: new Headers(init.headers), body, init };
    requests.push(request);
    const handler = routes[`${method} ${path}`];
    if (!handler) return apiError(404, "not_found", `No mock for ${method} ${path}`);
    return handler(request);
  });
  vi.stubGlobal("fetch", fetchMock);
  return {
    fetchMock,
    requests,
    to(method: string, path: string) {
      return requests.filter((r) => r.method === method && r.path === path);
    },
  };
}

export function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
