/** A creator's earnings and payouts, for the creator's dashboard. */
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { ApiError } from "../api/errors";
import {
  getDailyEarnings,
  getEarnings,
  getPayoutAccount,
  getSupporters,
  listPayouts,
  listReceivedTips,
  requestPayout,
  startOnboarding,
} from "../api/payouts";
import type { Page, Payout } from "../api/types";
import { idempotencyKey } from "../api/wallet";
import { pagedQuery } from "./hooks";
import { keys } from "./keys";

/** Payouts still on their way to the bank: the list refreshes itself while there are any. */
const PENDING: ReadonlySet<Payout["status"]> = new Set(["requested", "in_transit"]);
const PENDING_POLL_MS = 3_000;

export function useEarnings() {
  return useQuery({ queryKey: keys.earnings, queryFn: ({ signal }) => getEarnings(signal) });
}

export function useDailyEarnings(days = 30) {
  return useQuery({
    queryKey: keys.earningsDaily(days),
    queryFn: ({ signal }) => getDailyEarnings(days, signal),
  });
}

export function useSupporters(limit = 5) {
  return useQuery({
    queryKey: keys.supporters(limit),
    queryFn: ({ signal }) => getSupporters(limit, signal),
  });
}

export function useReceivedTips(limit = 10) {
  return useInfiniteQuery(pagedQuery(keys.receivedTips, listReceivedTips, limit));
}

export function usePayoutAccount() {
  return useQuery({
    queryKey: keys.payoutAccount,
    queryFn: ({ signal }) => getPayoutAccount(signal),
  });
}

export function hasPendingPayout(pages: readonly Page<Payout>[] | undefined): boolean {
  return (pages ?? []).some((page) => page.items.some((payout) => PENDING.has(payout.status)));
}

export function usePayouts(limit = 10) {
  const client = useQueryClient();
  const query = useInfiniteQuery({
    ...pagedQuery(keys.payoutList, listPayouts, limit),
    refetchInterval: (q) => (hasPendingPayout(q.state.data?.pages) ? PENDING_POLL_MS : false),
  });
  // A payout that settles (paid, failed, reversed) changes the earnings, too.
  const statuses = (query.data?.pages ?? [])
    .flatMap((page) => page.items.map((payout) => `${payout.id}:${payout.status}`))
    .join(",");
  const seen = useRef<string | null>(null);
  useEffect(() => {
    if (seen.current !== null && seen.current !== statuses) {
      void client.invalidateQueries({ queryKey: keys.earnings });
      void client.invalidateQueries({ queryKey: keys.wallet });
    }
    seen.current = statuses;
  }, [client, statuses]);
  return query;
}

/** Start (or resume) Stripe's hosted onboarding: the answer's link is where the browser goes. */
export function useStartOnboarding() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: startOnboarding,
    onSuccess: (onboarding) => {
      const { onboarding_url: _url, ...account } = onboarding;
      client.setQueryData(keys.payoutAccount, account);
    },
  });
}

/** An answer that settles the attempt: sending the same key again could only replay it. */
function isDefinitive(error: unknown): boolean {
  return (
    error instanceof ApiError && error.status < 500 && error.code !== "idempotency_key_in_flight"
  );
}

/**
 * Ask for a payout. One `Idempotency-Key` per intended payout: retrying the same amount after a
 * lost answer reuses it, so the server replays a payout that did land instead of making two.
 */
export function useRequestPayout() {
  const client = useQueryClient();
  const attempt = useRef<{ tokens: number; key: string } | null>(null);
  return useMutation({
    mutationFn: (tokens: number) => {
      if (attempt.current?.tokens !== tokens) {
        attempt.current = { tokens, key: idempotencyKey() };
      }
      return requestPayout(tokens, attempt.current.key);
    },
    onSuccess: () => {
      attempt.current = null;
    },
    onError: (error: unknown) => {
      if (isDefinitive(error)) attempt.current = null;
    },
    onSettled: () => {
      // The tokens leave the wallet too (a `payout` entry).
      void client.invalidateQueries({ queryKey: keys.wallet });
      void client.invalidateQueries({ queryKey: keys.earnings });
      void client.invalidateQueries({ queryKey: keys.payouts });
    },
  });
}

/** A 409 `insufficient_earnings`'s `details.available_tokens`, else null. */
export function availableFromError(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.code !== "insufficient_earnings") return null;
  const details = error.details as { available_tokens?: unknown } | null;
  return typeof details?.available_tokens === "number" ? details.available_tokens : null;
}
