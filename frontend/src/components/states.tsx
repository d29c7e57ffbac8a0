import type { ReactNode } from "react";
import { ApiError, errorMessage } from "../api/errors";
import { Spinner } from "./feedback";

/** A section is loading (announced politely). */
export function Loading({ label = "Loading…", testId }: { label?: string; testId?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite" data-testid={testId}>
      <Spinner label={label} />
    </div>
  );
}

/** A request failed: what happened, its reference for 5xx, and a way to try again. */
export function ErrorState({
  error,
  onRetry,
  title = "Couldn't load this.",
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
}) {
  const requestId = error instanceof ApiError && error.status >= 500 ? error.requestId : null;
  return (
    <div className="state state-error alert alert-error" role="alert">
      <p>
        <strong>{title}</strong> {errorMessage(error)}
      </p>
      {requestId ? <p className="alert-meta">Reference: {requestId}</p> : null}
      {onRetry ? (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/** Nothing to show yet, and what to do about it. */
export function Empty({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={testId}>
      {children}
    </div>
  );
}
