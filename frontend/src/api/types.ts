// Friendly names for the API's shapes. Everything here comes from `schema.d.ts`, which
// `make api-types` generates from the backend's OpenAPI document (never edit that file by
// hand; `make check-api-types` fails when it no longer matches the API).
import type { components } from "./schema";

type Schemas = components["schemas"];

/** Some fields have a server-side default, so the document lists them as optional; answers always carry them. */
type WithRequired<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: Exclude<T[P], undefined> };

// Accounts

export type Role = Schemas["Role"];
export type User = WithRequired<Schemas["UserOut"], "avatar_url">;
/** The answer of signup, login and refresh. The refresh cookie travels alongside. */
export type Session = Omit<Schemas["SessionOut"], "user"> & { user: User };
export type SignupRequest = Schemas["SignupIn"];
export type LoginRequest = Schemas["LoginIn"];
export type ProfilePatch = Schemas["ProfilePatch"];
export type PasswordChangeRequest = Schemas["PasswordChangeIn"];
export type PasswordResetRequest = Schemas["PasswordResetIn"];
export type PasswordResetConfirmRequest = Schemas["PasswordResetConfirmIn"];
export type AcceptedResponse = Schemas["AcceptedOut"];

// Pages: `{items, next_cursor}`, walked with `?cursor=&limit=`.

export interface Page<T> {
  items: T[];
  next_cursor?: string | null;
}

// Creators and follows

export type CreatorSummary = Schemas["CreatorSummary"];
export type CreatorProfile = Schemas["CreatorProfile"];
export type FollowResult = Schemas["FollowOut"];
export type UserSummary = Schemas["UserSummary"];
export type CreatorSort = "popular" | "new";

// Media

export type Media = Schemas["MediaOut"];
export type MediaStatus = Media["status"];
export type Thumbnail = Schemas["ThumbnailOut"];
export type MediaAccepted = Schemas["MediaAcceptedOut"];
export type FeedItem = Schemas["FeedItem"];

// Notifications

export type Notification = Schemas["Notification"];
export type UnreadCount = Schemas["UnreadCount"];
export type MarkReadRequest = Schemas["MarkReadIn"];
export type MarkReadResult = Schemas["MarkReadOut"];

// Tokens, payments, wallet, tips

export type TokenPackage = Schemas["PackageOut"];
export type TokenPackages = Schemas["PackagesOut"];
export type PurchaseRequest = Schemas["PurchaseIn"];
export type PurchaseStarted = Schemas["PurchaseStartedOut"];
export type Purchase = Schemas["PurchaseOut"];
export type PurchaseStatus = Schemas["PurchaseStatus"];
export type Wallet = Schemas["WalletOut"];
export type LedgerEntry = Schemas["EntryOut"];
export type LedgerEntryKind = Schemas["EntryKind"];
export type TipRequest = Schemas["TipIn"];
export type TipResult = Schemas["TipOut"];

// Earnings and payouts (creators)

export type Earnings = Schemas["EarningsOut"];
export type DailyEarnings = Schemas["DailyEarningsOut"];
export type Supporter = Schemas["SupporterOut"];
export type Supporters = Schemas["SupportersOut"];
export type ReceivedTip = Schemas["ReceivedTipOut"];
export type PayoutAccount = Schemas["PayoutAccountOut"];
export type PayoutAccountState = PayoutAccount["state"];
export type Onboarding = Schemas["OnboardingOut"];
export type PayoutRequest = Schemas["PayoutIn"];
export type Payout = Schemas["PayoutOut"];
export type PayoutStatus = Schemas["PayoutStatus"];

// Errors

/** One entry of a 422's `details.fields`. */
export interface FieldError {
  field: string;
  message: string;
  type: string;
}

/** Every error the API answers has this shape. */
export interface ErrorBody {
  error: Omit<Schemas["ErrorDetail"], "request_id" | "details"> & {
    request_id: string | null;
    details: unknown;
  };
}
