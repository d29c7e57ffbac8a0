import type { Location } from "react-router";

/** Router state carried to /login (and on to /signup) by protected pages and notices. */
export interface AuthRedirectState {
  /** Where to go after signing in. */
  from?: string;
  /** A one-off message for the login page ("Your password was changed..."). */
  notice?: string;
}

export function readAuthState(location: Location): AuthRedirectState {
  const state: unknown = location.state;
  if (typeof state !== "object" || state === null) return {};
  const { from, notice } = state as Record<string, unknown>;
  return {
    from: typeof from === "string" ? from : undefined,
    notice: typeof notice === "string" ? notice : undefined,
  };
}

/** Only same-app paths: never `//evil.example` or `https://...` (no open redirects). */
export function safeRedirect(from: string | undefined, fallback = "/dashboard"): string {
  if (!from || !from.startsWith("/") || from.startsWith("//") || from.startsWith("/\\")) {
    return fallback;
  }
  const path = from.split(/[?#]/, 1)[0];
  if (path === "/login" || path === "/signup") return fallback;
  return from;
}

/** The state a "Sign in to …" link carries: come back to this page (and its query). */
export function returnHere(location: Pick<Location, "pathname" | "search">): AuthRedirectState {
  return { from: location.pathname + location.search };
}
