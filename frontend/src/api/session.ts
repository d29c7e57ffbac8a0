/**
 * The signed-in session, kept in memory only.
 *
 * The access token lives in a module variable: never localStorage, sessionStorage or a readable
 * cookie, so an injected script cannot lift it from storage and it dies with the tab. The
 * long-lived credential is the server's HttpOnly refresh cookie, which scripts cannot read at
 * all. A reload restores the session by calling `/api/auth/refresh` (see refresh.ts).
 */
import { connectTabs, tellOtherTabs } from "./crossTab";
import type { Session, User } from "./types";

/** `unknown` until the first refresh has answered, so the app can show a loading state. */
export type SessionStatus = "unknown" | "signed-in" | "signed-out";
/** Why the session ended: `expired` (the server said no) or `logout` (the person asked). */
export type SignOutReason = "expired" | "logout" | null;

export interface SessionState {
  readonly status: SessionStatus;
  readonly user: User | null;
  readonly reason: SignOutReason;
  /** Set when the session could not be restored for a reason other than "not signed in". */
  readonly problem: string | null;
}

type TabMessage =
  | { type: "session"; accessToken: string; expiresAt: number; user: User; sentAt: number }
  | { type: "user"; user: User }
  | { type: "signed-out" };

const INITIAL: SessionState = { status: "unknown", user: null, reason: null, problem: null };

let state: SessionState = INITIAL;
let accessToken: string | null = null;
let expiresAt = 0;
/** Bumped whenever the token changes (here or from another tab); refresh.ts compares it. */
let version = 0;
/** When this tab last signed out: a session another tab sent before that is stale. */
let endedAt = 0;
const listeners = new Set<() => void>();

function setState(next: SessionState) {
  state = next;
  for (const listener of listeners) listener();
}

export function getSessionState(): SessionState {
  return state;
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function getAccessToken(): string | null {
  return accessToken;
}

export function tokenVersion(): number {
  return version;
}

/** Epoch milliseconds at which the access token expires (0 without one). */
export function tokenExpiresAt(): number {
  return expiresAt;
}

/** True while there is a token that is still valid `marginMs` from now. */
export function hasFreshToken(marginMs = 0): boolean {
  return accessToken !== null && Date.now() + marginMs < expiresAt;
}

function adopt(token: string, expiry: number, user: User) {
  accessToken = token;
  expiresAt = expiry;
  version += 1;
  setState({ status: "signed-in", user, reason: null, problem: null });
}

/** Keep a session the API just issued (signup, login, refresh) and hand it to the other tabs. */
export function startSession(session: Session): void {
  listenToOtherTabs();
  const expiry = Date.now() + session.expires_in * 1000;
  adopt(session.access_token, expiry, session.user);
  tellOtherTabs({
    type: "session",
    accessToken: session.access_token,
    expiresAt: expiry,
    user: session.user,
    sentAt: Date.now(),
  } satisfies TabMessage);
}

/** The API answered a newer copy of the signed-in user (e.g. after a profile edit). */
export function updateUser(user: User): void {
  if (state.status !== "signed-in" || state.user?.id !== user.id) return;
  setState({ ...state, user });
  tellOtherTabs({ type: "user", user } satisfies TabMessage);
}

/**
 * Forget the token and the user. `tellTabs` when the person signed out on purpose (or the
 * server ended every session), so that the other tabs sign out too.
 */
export function endSession(
  reason: SignOutReason,
  { tellTabs = false, problem = null }: { tellTabs?: boolean; problem?: string | null } = {},
): void {
  accessToken = null;
  expiresAt = 0;
  version += 1;
  endedAt = Date.now();
  setState({ status: "signed-out", user: null, reason, problem });
  if (tellTabs) tellOtherTabs({ type: "signed-out" } satisfies TabMessage);
}

function isUser(value: unknown): value is User {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as User).id === "string" &&
    typeof (value as User).display_name === "string"
  );
}

function onTabMessage(data: unknown) {
  if (typeof data !== "object" || data === null) return;
  const message = data as Partial<Record<string, unknown>>;
  switch (message.type) {
    case "session":
      if (
        typeof message.accessToken === "string" &&
        typeof message.expiresAt === "number" &&
        typeof message.sentAt === "number" &&
        message.sentAt > endedAt &&
        isUser(message.user)
      ) {
        adopt(message.accessToken, message.expiresAt, message.user);
      }
      return;
    case "user":
      if (
        isUser(message.user) &&
        state.status === "signed-in" &&
        state.user?.id === message.user.id
      ) {
        setState({ ...state, user: message.user });
      }
      return;
    case "signed-out":
      if (state.status !== "signed-out") endSession("logout");
      return;
  }
}

/** Start hearing about sessions that other tabs obtain or end. Idempotent. */
export function listenToOtherTabs(): void {
  connectTabs(onTabMessage);
}

/** Back to a fresh page load. For tests. */
export function resetSessionForTests(): void {
  accessToken = null;
  expiresAt = 0;
  version = 0;
  endedAt = 0;
  state = INITIAL;
}
