/**
 * Error reporting. @sentry/react is loaded (as its own chunk, see sentry.ts) and initialised only when
 * VITE_SENTRY_DSN is set; otherwise nothing is sent anywhere and nothing extra is downloaded.
 */
import type * as SentryApi from "./sentry";

type Sentry = typeof SentryApi;

let sentry: Sentry | null = null;

const SECRET_PARAMS = /([?&](?:token|access_token)=)[^&#]*/gi;

/** Reset-password links carry a token in the query string: never send it. */
export function scrubUrl(url: string): string {
  return url.replace(SECRET_PARAMS, "$1[Filtered]");
}

export async function initObservability(): Promise<void> {
  const dsn = import.meta.env.VITE_SENTRY_DSN;
  if (!dsn) return;
  const Sentry = await import("./sentry");
  Sentry.init({
    dsn,
    environment: import.meta.env.VITE_SENTRY_ENVIRONMENT ?? import.meta.env.MODE,
    release: import.meta.env.VITE_RELEASE,
    // Send what it takes to debug, not people's data: no user info, cookies, headers, bodies
    // (passwords, tokens) or query strings (reset tokens).
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpHeaders: false,
      httpBodies: [],
      urlQueryParams: false,
    },
    beforeSend(event) {
      if (event.request?.url) event.request.url = scrubUrl(event.request.url);
      return event;
    },
    beforeBreadcrumb(breadcrumb) {
      const data = breadcrumb.data;
      if (data) {
        for (const key of ["url", "from", "to"]) {
          if (typeof data[key] === "string") data[key] = scrubUrl(data[key]);
        }
      }
      return breadcrumb;
    },
  });
  sentry = Sentry;
}

export function reportError(error: unknown): void {
  if (sentry) sentry.captureException(error);
  else if (import.meta.env.DEV) console.error(error);
}

/** Tag reports with the user's id only (no email or name). */
export function identifyUser(id: string | null): void {
  sentry?.setUser(id ? { id } : null);
}
