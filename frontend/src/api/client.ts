import { apiUrl } from "./config";
import { NetworkError, toApiError } from "./errors";
import { EXPIRY_MARGIN_MS, refreshAccessToken, sessionKnown } from "./refresh";
import { getAccessToken, hasFreshToken } from "./session";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type QueryValue = string | number | boolean | null | undefined;

export interface ApiOptions {
  method?: HttpMethod;
  /** A JSON-serialisable value, or FormData / Blob / URLSearchParams sent as they are. */
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Appended as a query string; `null` and `undefined` values are left out. */
  query?: Record<string, QueryValue>;
  /**
   * Send the access token, and on a 401 refresh once and retry once. Default `true`. Turn it
   * off for the routes that work without a session (login, signup, password reset, ...), where
   * a 401 means something else (e.g. wrong credentials).
   */
  auth?: boolean;
  /** `"include"` for the cookie routes under /api/auth. Default: the browser's default. */
  credentials?: RequestCredentials;
}

function isRawBody(body: unknown): body is BodyInit {
  return (
    body instanceof FormData ||
    body instanceof Blob ||
    body instanceof URLSearchParams ||
    body instanceof ArrayBuffer
  );
}

function withQuery(path: string, query: ApiOptions["query"]): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined) params.append(key, String(value));
  }
  const search = params.toString();
  if (!search) return path;
  return `${path}${path.includes("?") ? "&" : "?"}${search}`;
}

function isAbort(error: unknown): boolean {
  return (
    error instanceof DOMException && (error.name === "AbortError" || error.name === "TimeoutError")
  );
}

async function send(path: string, options: ApiOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    if (isRawBody(options.body)) {
      body = options.body;
    } else {
      body = JSON.stringify(options.body);
      headers["Content-Type"] = "application/json";
    }
  }
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(apiUrl(withQuery(path, options.query)), {
      method: options.method ?? "GET",
      headers,
      body,
      signal: options.signal,
      credentials: options.credentials,
    });
  } catch (cause) {
    if (isAbort(cause) || options.signal?.aborted) throw cause;
    throw new NetworkError({ cause });
  }
}

async function readBody<T>(response: Response): Promise<T> {
  if (response.status === 204 || response.status === 205) return undefined as T;
  const text = await response.text();
  if (!text) return undefined as T;
  const type = response.headers.get("Content-Type") ?? "";
  return (type.includes("json") ? JSON.parse(text) : text) as T;
}

/**
 * Call the API. Resolves with the parsed body (`undefined` for 204); rejects with an `ApiError`
 * for any error answer, a `NetworkError` when there was no answer, or the `AbortError` of
 * `signal`. With `auth` (the default) it sends the in-memory access token, refreshes it first
 * when it is about to expire, and on a 401 refreshes once (shared with every other request
 * and tab) and retries once. When the refresh finds no session the app signs out and the
 * original 401 is thrown.
 */
export async function api<T = unknown>(path: string, options: ApiOptions = {}): Promise<T> {
  const auth = options.auth ?? true;
  let token: string | null = null;
  if (auth) {
    await sessionKnown();
    token = getAccessToken();
    if (token !== null && !hasFreshToken(EXPIRY_MARGIN_MS)) {
      token = await refreshAccessToken(token);
    }
  }

  let response = await send(path, options, token);
  if (response.status === 401 && auth && token !== null) {
    const fresh = await refreshAccessToken(token);
    if (fresh === null) throw await toApiError(response);
    response = await send(path, options, fresh);
  }
  if (!response.ok) throw await toApiError(response);
  return readBody<T>(response);
}
