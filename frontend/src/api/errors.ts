import type { ErrorBody, FieldError } from "./types";

/** An answer from the API that is not a success, in the project's one error shape. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  readonly details: unknown;
  /** A 422's `details.fields`, in order. Empty for other errors. */
  readonly fields: readonly FieldError[];
  /** Seconds to wait before trying again (429), from `Retry-After` or `details.retry_after`. */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    requestId?: string | null;
    details?: unknown;
    fields?: readonly FieldError[];
    retryAfter?: number | null;
  }) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId ?? null;
    this.details = init.details ?? null;
    this.fields = init.fields ?? [];
    this.retryAfter = init.retryAfter ?? null;
  }

  /** The first message for each field of a 422, keyed by field name (`password`, ...). */
  get fieldErrors(): Record<string, string> {
    const byField: Record<string, string> = {};
    for (const { field, message } of this.fields) {
      byField[field] ??= message;
    }
    return byField;
  }

  /** The field a 409 names in `details.field` (e.g. `"email"` or `"handle"`), if any. */
  get conflictField(): string | null {
    return isRecord(this.details) && typeof this.details.field === "string"
      ? this.details.field
      : null;
  }
}

/** The request never got an answer: offline, DNS, CORS, the server is down. */
export class NetworkError extends Error {
  override readonly name = "NetworkError";

  constructor(options?: { cause?: unknown }) {
    super("Can't reach Digis right now. Check your connection and try again.", options);
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** What to show a person for any error a request can raise. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError || error instanceof NetworkError) return error.message;
  return "Something went wrong. Please try again.";
}

const FALLBACK_MESSAGES: Record<number, string> = {
  400: "The request was not valid.",
  401: "Please sign in again.",
  403: "You are not allowed to do this.",
  404: "Not found.",
  409: "That conflicts with something that already exists.",
  413: "That is too large.",
  422: "Some of the details are not valid.",
  429: "Too many attempts; please wait a moment.",
};

function fallbackMessage(status: number): string {
  if (status >= 500) return `Digis had a problem (${status}). Please try again in a moment.`;
  return FALLBACK_MESSAGES[status] ?? `The request failed (${status}).`;
}

/** "30 seconds", "1 minute", "5 minutes", "2 hours". */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} second${s === 1 ? "" : "s"}`;
  const m = Math.ceil(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? "" : "s"}`;
  const h = Math.ceil(m / 60);
  return `${h} hour${h === 1 ? "" : "s"}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (!isRecord(value) || !isRecord(value.error)) return false;
  return typeof value.error.code === "string" && typeof value.error.message === "string";
}

function parseFields(details: unknown): FieldError[] {
  if (!isRecord(details) || !Array.isArray(details.fields)) return [];
  return details.fields.flatMap((item: unknown) =>
    isRecord(item) && typeof item.field === "string" && typeof item.message === "string"
      ? [
          {
            field: item.field,
            message: item.message,
            type: typeof item.type === "string" ? item.type : "",
          },
        ]
      : [],
  );
}

function parseRetryAfter(response: Response, details: unknown): number | null {
  const header = response.headers.get("Retry-After");
  if (header !== null) {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds;
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  }
  if (isRecord(details) && typeof details.retry_after === "number") return details.retry_after;
  return null;
}

/** Turn a non-2xx response into an ApiError, whatever its body is. */
export async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML error page, an empty body): fall back on the status.
  }
  const retryAfterFrom = (details: unknown) =>
    response.status === 429 ? parseRetryAfter(response, details) : null;

  if (!isErrorBody(body)) {
    const retryAfter = retryAfterFrom(null);
    return new ApiError({
      status: response.status,
      code: `http_${response.status}`,
      message: withWait(fallbackMessage(response.status), retryAfter),
      requestId: response.headers.get("X-Request-ID"),
      retryAfter,
    });
  }
  const { code, message, request_id, details } = body.error;
  const retryAfter = retryAfterFrom(details);
  return new ApiError({
    status: response.status,
    code,
    message: withWait(message, retryAfter),
    requestId: request_id ?? response.headers.get("X-Request-ID"),
    details,
    fields: parseFields(details),
    retryAfter,
  });
}

function withWait(message: string, retryAfter: number | null): string {
  return retryAfter === null
    ? message
    : `${message} You can try again in ${formatWait(retryAfter)}.`;
}
