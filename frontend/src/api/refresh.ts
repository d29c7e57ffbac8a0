/**
 * Getting a new access token from the refresh cookie, once at a time across every tab.
 *
 * - Concurrent callers in this tab share one in-flight refresh.
 * - Across tabs, the refresh runs under a Web Lock; the tab that refreshed broadcasts the new
 *   token (session.ts), so a tab that waited on the lock finds the token already replaced and
 *   uses it instead of presenting the cookie again (which could trip reuse detection).
 * - A 401 from the refresh endpoint means there is no session any more: sign out.
 *   Network and server errors do not sign anyone out; they are thrown to the caller.
 */
import { apiUrl } from "./config";
import { handOff, withRefreshLock } from "./crossTab";
import { NetworkError, errorMessage, toApiError } from "./errors";
import {
  endSession,
  getAccessToken,
  getSessionState,
  hasFreshToken,
  listenToOtherTabs,
  startSession,
  subscribeSession,
  tokenExpiresAt,
  tokenVersion,
} from "./session";
import type { Session } from "./types";

/** A token expiring sooner than this is treated as expired. */
export const EXPIRY_MARGIN_MS = 10_000;
/** Refresh proactively this long before the token expires. */
export const REFRESH_LEAD_MS = 60_000;
const REFRESH_TIMEOUT_MS = 15_000;

let inFlight: Promise<string | null> | null = null;
let restoring: Promise<void> | null = null;

/**
 * A valid access token, refreshing if needed. `stale` is the token the caller found wanting
 * (the one a 401 answered, or `null`): if the current token is another, fresh one, some other
 * request or tab already refreshed and no refresh happens. Resolves `null` when signed out.
 */
export function refreshAccessToken(stale: string | null): Promise<string | null> {
  const current = getAccessToken();
  if (current !== null && current !== stale && hasFreshToken(EXPIRY_MARGIN_MS)) {
    return Promise.resolve(current);
  }
  inFlight ??= coordinatedRefresh().finally(() => {
    inFlight = null;
  });
  return inFlight;
}

function coordinatedRefresh(): Promise<string | null> {
  const versionBefore = tokenVersion();
  return new Promise<string | null>((resolve, reject) => {
    withRefreshLock(async () => {
      if (tokenVersion() !== versionBefore) {
        // While we waited for the lock another tab refreshed (and broadcast its token) or
        // signed out. Its cookie rotation already happened; presenting the cookie again is
        // pointless at best.
        if (hasFreshToken(EXPIRY_MARGIN_MS)) return resolve(getAccessToken());
        if (getSessionState().status === "signed-out") return resolve(null);
      }
      const token = await requestRefresh();
      // Our callers go on at once; the lock is kept a moment longer so that our broadcast
      // reaches the tabs waiting on it before they get their turn.
      resolve(token);
      if (token !== null) await handOff();
    }).catch(reject);
  });
}

function timeoutSignal(ms: number): AbortSignal | undefined {
  return typeof AbortSignal.timeout === "function" ? AbortSignal.timeout(ms) : undefined;
}

async function requestRefresh(): Promise<string | null> {
  let response: Response;
  try {
    response = await fetch(apiUrl("/api/auth/refresh"), {
      method: "POST",
      credentials: "include",
      headers: { Accept: "application/json" },
      signal: timeoutSignal(REFRESH_TIMEOUT_MS),
    });
  } catch (cause) {
    throw new NetworkError({ cause });
  }
  if (response.status === 401) {
    // No session (first visit) or it ended (expired, revoked, signed out elsewhere).
    const wasSignedIn = getSessionState().status === "signed-in";
    endSession(wasSignedIn ? "expired" : null);
    return null;
  }
  if (!response.ok) throw await toApiError(response);
  const session = (await response.json()) as Session;
  startSession(session); // also tells the other tabs, before the lock is released
  return session.access_token;
}

/**
 * On page load: find out whether the refresh cookie still holds a session. Idempotent; a
 * 401 just means "signed out". Any other failure also leaves the app signed out, with a
 * `problem` the app shows alongside a retry.
 */
export function restoreSession(): Promise<void> {
  restoring ??= (async () => {
    listenToOtherTabs();
    try {
      await refreshAccessToken(null);
    } catch (error) {
      if (getSessionState().status !== "signed-in") {
        endSession(null, { problem: `We couldn't restore your session. ${errorMessage(error)}` });
      }
    }
  })();
  return restoring;
}

/** Try restoring again after a failure (the "Try again" of the app's banner). */
export function retryRestoreSession(): Promise<void> {
  restoring = null;
  return restoreSession();
}

/** Resolves once the first restore has answered (immediately when none was started). */
export function sessionKnown(): Promise<void> {
  return getSessionState().status === "unknown" && restoring ? restoring : Promise.resolve();
}

/**
 * Refresh shortly before the access token expires, so requests rarely meet a 401. Returns a
 * function that stops it. Other tabs' refreshes re-arm the timer through the session store.
 */
export function keepSessionFresh(): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let armedFor = 0;
  const arm = () => {
    const expiry = tokenExpiresAt();
    if (expiry === armedFor) return;
    clearTimeout(timer);
    armedFor = expiry;
    if (getSessionState().status !== "signed-in" || expiry === 0) return;
    const lifetime = expiry - Date.now();
    const lead = Math.min(REFRESH_LEAD_MS, lifetime / 2);
    timer = setTimeout(
      () => {
        refreshAccessToken(getAccessToken()).catch(() => {
          // Offline or the API is down: the next request's 401 handling tries again.
        });
      },
      Math.max(0, lifetime - lead),
    );
  };
  const unsubscribe = subscribeSession(arm);
  arm();
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}

/** Forget in-flight work. For tests. */
export function resetRefreshForTests(): void {
  inFlight = null;
  restoring = null;
}
