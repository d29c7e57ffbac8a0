/** Tokens, payments, the wallet and tips. Money routes take an `Idempotency-Key`. */
import { api } from "./client";
import type { PageArgs } from "./creators";
import type {
  LedgerEntry,
  Page,
  Purchase,
  PurchaseStarted,
  TipRequest,
  TipResult,
  TokenPackages,
  Wallet,
} from "./types";

/** A fresh random key for one attempt at a money request (a retry of it reuses the key). */
export function idempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // Outside a secure context randomUUID is missing; getRandomValues is always there.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function getWallet(signal?: AbortSignal): Promise<Wallet> {
  return api("/api/wallet", { signal });
}

export function listEntries({ cursor, limit, signal }: PageArgs = {}): Promise<Page<LedgerEntry>> {
  return api("/api/wallet/entries", { query: { cursor, limit }, signal });
}

export function getPackages(signal?: AbortSignal): Promise<TokenPackages> {
  return api("/api/tokens/packages", { signal });
}

export function startPurchase(packageId: string, key: string): Promise<PurchaseStarted> {
  return api("/api/tokens/purchase", {
    method: "POST",
    body: { package_id: packageId },
    headers: { "Idempotency-Key": key },
  });
}

export function getPurchase(id: string, signal?: AbortSignal): Promise<Purchase> {
  return api(`/api/payments/${encodeURIComponent(id)}`, { signal });
}

/** The fan left the checkout without paying: close it, so the purchase ends `expired`. */
export function abandonPurchase(id: string): Promise<Purchase> {
  return api(`/api/payments/${encodeURIComponent(id)}/abandon`, { method: "POST" });
}

export function listPurchases({ cursor, limit, signal }: PageArgs = {}): Promise<Page<Purchase>> {
  return api("/api/payments", { query: { cursor, limit }, signal });
}

export function sendTip(body: TipRequest, key: string): Promise<TipResult> {
  return api("/api/tips", { method: "POST", body, headers: { "Idempotency-Key": key } });
}
