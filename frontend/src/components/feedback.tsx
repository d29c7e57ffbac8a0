import type { ReactNode } from "react";
import type { FormProblem } from "../lib/formErrors";

/** A form-level error, announced by screen readers as it appears. */
export function FormAlert({
  problem,
  children,
}: {
  problem: FormProblem | null;
  children?: ReactNode;
}) {
  if (!problem) return null;
  return (
    <div className="alert alert-error" role="alert" data-testid="form-error">
      <p>{problem.message}</p>
      {problem.requestId ? <p className="alert-meta">Reference: {problem.requestId}</p> : null}
      {children}
    </div>
  );
}

/** A success or information message, announced politely. */
export function Notice({
  children,
  tone = "success",
  testId = "form-notice",
}: {
  children: ReactNode;
  tone?: "success" | "info";
  testId?: string;
}) {
  return (
    <div className={`alert alert-${tone}`} role="status" data-testid={testId}>
      {children}
    </div>
  );
}

export function Spinner({ label }: { label?: string }) {
  return (
    <span className="spinner-wrap">
      <span className="spinner" aria-hidden="true" />
      {label ? <span>{label}</span> : null}
    </span>
  );
}

export function SubmitButton({
  pending,
  pendingLabel,
  children,
  testId,
}: {
  pending: boolean;
  pendingLabel: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <button
      type="submit"
      className="btn btn-primary btn-block"
      disabled={pending}
      aria-busy={pending || undefined}
      data-testid={testId}
    >
      {pending ? <Spinner label={pendingLabel} /> : children}
    </button>
  );
}

/** The whole-page "we don't know yet" state (restoring the session on first load). */
export function LoadingScreen({ label = "Loading Digis…" }: { label?: string }) {
  return (
    <div className="loading-screen" role="status" aria-live="polite" data-testid="app-loading">
      <span className="logo logo-large" aria-hidden="true">
        Digis
      </span>
      <Spinner label={label} />
    </div>
  );
}
