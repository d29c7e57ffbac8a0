/** The accounts API: sign-up, sessions, profile, password change and reset. */
import { api } from "./client";
import { endSession, startSession, updateUser } from "./session";
import type {
  AcceptedResponse,
  LoginRequest,
  PasswordChangeRequest,
  PasswordResetConfirmRequest,
  PasswordResetRequest,
  ProfilePatch,
  Session,
  SignupRequest,
  User,
} from "./types";

// The refresh cookie is scoped to /api/auth: these routes set, rotate or clear it, so they
// send credentials even when the API lives on another origin (VITE_API_URL).
const cookieRoute = { auth: false, credentials: "include" } as const;

export async function signup(body: SignupRequest): Promise<User> {
  const session = await api<Session>("/api/auth/signup", { method: "POST", body, ...cookieRoute });
  startSession(session);
  return session.user;
}

export async function login(body: LoginRequest): Promise<User> {
  const session = await api<Session>("/api/auth/login", { method: "POST", body, ...cookieRoute });
  startSession(session);
  return session.user;
}

/** End this browser's session (every tab of it) and clear the cookie. */
export async function logout(): Promise<void> {
  await api<void>("/api/auth/logout", { method: "POST", ...cookieRoute });
  endSession("logout", { tellTabs: true });
}

/** End every session of the account, on every device, then this one. */
export async function logoutEverywhere(): Promise<void> {
  await api<void>("/api/auth/logout-all", { method: "POST", credentials: "include" });
  endSession("logout", { tellTabs: true });
}

export function getMe(signal?: AbortSignal): Promise<User> {
  return api<User>("/api/me", { signal });
}

export async function updateProfile(patch: ProfilePatch): Promise<User> {
  const user = await api<User>("/api/me", { method: "PATCH", body: patch });
  updateUser(user);
  return user;
}

/** Other sessions are revoked; this one stays (a later 401 refreshes transparently). */
export function changePassword(body: PasswordChangeRequest): Promise<void> {
  return api<void>("/api/me/password", { method: "POST", body });
}

export function requestPasswordReset(body: PasswordResetRequest): Promise<AcceptedResponse> {
  return api<AcceptedResponse>("/api/auth/password-reset", { method: "POST", body, auth: false });
}

/** Sets the new password; the server ends every session of the account. */
export async function confirmPasswordReset(body: PasswordResetConfirmRequest): Promise<void> {
  await api<void>("/api/auth/password-reset/confirm", { method: "POST", body, auth: false });
  // Every session of that account is over; this tab finds out locally, others on their next
  // refresh (the reset may be for another account than the one signed in elsewhere).
  endSession(null);
}
