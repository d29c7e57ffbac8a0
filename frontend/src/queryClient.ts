import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./api/errors";
import { getSessionState, subscribeSession } from "./api/session";
import { identifyUser } from "./observability";

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A 4xx will not change by asking again; network and server errors might.
        retry: (failures, error) =>
          failures < 2 && !(error instanceof ApiError && error.status < 500),
      },
      mutations: { retry: false },
    },
  });
}

/**
 * Drop every cached answer when the signed-in user changes (sign-out, session ended, another
 * account signed in from another tab), so one person never sees another's data.
 */
export function clearCacheOnUserChange(client: QueryClient): () => void {
  let userId = getSessionState().user?.id ?? null;
  return subscribeSession(() => {
    const next = getSessionState().user?.id ?? null;
    if (next === userId) return;
    userId = next;
    client.clear();
    identifyUser(next);
  });
}
