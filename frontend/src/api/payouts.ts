/** A creator's money: earnings, supporters, tips received, the payout account and payouts. */
import { api } from "./client";
import type { PageArgs } from "./creators";
import type {
  DailyEarnings,
  Earnings,
  Onboarding,
  Page,
  Payout,
  PayoutAccount,
  ReceivedTip,
  Supporters,
} from "./types";

export function getEarnings(signal?: AbortSignal): Promise<Earnings> {
  return api("/api/earnings", { signal });
}

export function getDailyEarnings(days = 30, signal?: AbortSignal): Promise<DailyEarnings> {
  return api("/api/earnings/daily", { query: { days }, signal });
}

export function getSupporters(limit = 10, signal?: AbortSignal): Promise<Supporters> {
  return api("/api/earnings/supporters", { query: { limit }, signal });
}

export function listReceivedTips({ cursor, limit, signal }: PageArgs = {}): Promise<
  Page<ReceivedTip>
> {
  return api("/api/earnings/tips", { query: { cursor, limit }, signal });
}

export function getPayoutAccount(signal?: AbortSignal): Promise<PayoutAccount> {
  return api("/api/payouts/account", { signal });
}

/** Make the Stripe account (once) and get a fresh link to its hosted onboarding. */
export function startOnboarding(): Promise<Onboarding> {
  return api("/api/payouts/account", { method: "POST" });
}

/** Ask for a payout of available tokens; `key` is an `Idempotency-Key` (see `idempotencyKey`). */
export function requestPayout(tokens: number, key: string): Promise<Payout> {
  return api("/api/payouts", {
    method: "POST",
    body: { tokens },
    headers: { "Idempotency-Key": key },
  });
}

export function listPayouts({ cursor, limit, signal }: PageArgs = {}): Promise<Page<Payout>> {
  return api("/api/payouts", { query: { cursor, limit }, signal });
}
