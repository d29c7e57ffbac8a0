/** Shared queries: the wallet balance and the unread count appear on several pages. */
import { infiniteQueryOptions, useQuery } from "@tanstack/react-query";
import type { PageArgs } from "../api/creators";
import { getUnreadCount } from "../api/notifications";
import type { Page } from "../api/types";
import { getWallet } from "../api/wallet";
import { useSession } from "../auth/useSession";
import { keys } from "./keys";

export function useWallet() {
  const { status } = useSession();
  return useQuery({
    queryKey: keys.wallet,
    queryFn: ({ signal }) => getWallet(signal),
    enabled: status === "signed-in",
  });
}

export function useUnreadCount() {
  const { status } = useSession();
  return useQuery({
    queryKey: keys.unreadCount,
    queryFn: ({ signal }) => getUnreadCount(signal),
    enabled: status === "signed-in",
    // The live stream keeps it fresh; this only covers a stream that cannot connect.
    refetchInterval: 60_000,
  });
}

/** Options for a cursor-paginated list (`{items, next_cursor}`). */
export function pagedQuery<T, K extends readonly unknown[]>(
  queryKey: K,
  fetchPage: (args: PageArgs) => Promise<Page<T>>,
  limit = 20,
) {
  return infiniteQueryOptions({
    queryKey,
    queryFn: ({ pageParam, signal }) => fetchPage({ cursor: pageParam, limit, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last: Page<T>) => last.next_cursor ?? undefined,
  });
}
