export { api } from "./client";
export type { ApiOptions, HttpMethod } from "./client";
export { ApiError, NetworkError, errorMessage, isApiError } from "./errors";
export * from "./accounts";
export {
  getAccessToken,
  getSessionState,
  subscribeSession,
  type SessionState,
  type SessionStatus,
  type SignOutReason,
} from "./session";
export { keepSessionFresh, restoreSession, retryRestoreSession } from "./refresh";
export type * from "./types";
