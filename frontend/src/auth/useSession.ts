import { useSyncExternalStore } from "react";
import { getSessionState, subscribeSession, type SessionState } from "../api/session";

/** The current session; re-renders when it changes (here or in another tab). */
export function useSession(): SessionState {
  return useSyncExternalStore(subscribeSession, getSessionState, getSessionState);
}
