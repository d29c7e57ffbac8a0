import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { SignInLink } from "../auth/SignInLink";
import { useSession } from "../auth/useSession";
import { ApiError } from "../api/errors";
import type { TipResult, Wallet } from "../api/types";
import { idempotencyKey, sendTip } from "../api/wallet";
import { tokens } from "../lib/format";
import { errorMessages } from "../lib/formErrors";
import { useWallet } from "../queries/hooks";
import { keys } from "../queries/keys";
import { Dialog } from "./Dialog";
import { Spinner } from "./feedback";

export const TIP_MESSAGE_MAX = 280;
const QUICK_AMOUNTS = [5, 10, 25, 50];

/** An answer that settles the attempt: sending the same key again could only replay it. */
function isDefinitive(error: unknown): boolean {
  return (
    error instanceof ApiError && error.status < 500 && error.code !== "idempotency_key_in_flight"
  );
}

function insufficientBalance(error: unknown): number | null {
  if (!(error instanceof ApiError) || error.code !== "insufficient_balance") return null;
  const details = error.details as { balance?: unknown } | null;
  return typeof details?.balance === "number" ? details.balance : 0;
}

function TipForm({ handle, name, onDone }: { handle: string; name: string; onDone: () => void }) {
  const amountId = useId();
  const messageId = useId();
  const client = useQueryClient();
  const wallet = useWallet();
  const [amount, setAmount] = useState("");
  const [message, setMessage] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  // One key per intended tip: retrying the same tip after a lost answer (network error,
  // 5xx) reuses it, so the server replays a tip that did land instead of sending a second.
  // After a definitive answer the next attempt is a new tip with a new key.
  const attempt = useRef<{ signature: string; key: string } | null>(null);
  const keyFor = (body: { amount: number; message: string }): string => {
    const signature = JSON.stringify(body);
    if (attempt.current?.signature !== signature) {
      attempt.current = { signature, key: idempotencyKey() };
    }
    return attempt.current.key;
  };
  const mutation = useMutation({
    mutationFn: (body: { amount: number; message: string }) =>
      sendTip(
        { creator: handle, amount: body.amount, message: body.message || null },
        keyFor(body),
      ),
    onSuccess: (result: TipResult) => {
      attempt.current = null;
      client.setQueryData<Wallet>(keys.wallet, { balance: result.balance });
      void client.invalidateQueries({ queryKey: keys.walletEntries });
    },
    onError: (error: unknown) => {
      if (isDefinitive(error)) attempt.current = null;
    },
  });

  if (mutation.isSuccess) {
    const result = mutation.data;
    return (
      <>
        <div className="alert alert-success" role="status" data-testid="tip-success">
          <p>
            You tipped {name} {tokens(result.amount)}. Thank you!
          </p>
          <p>Your balance is now {tokens(result.balance)}.</p>
        </div>
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={onDone} data-autofocus>
            Done
          </button>
        </div>
      </>
    );
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = amount.trim();
    const n = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
      setInvalid("Enter a whole number of tokens, 1 or more.");
      document.getElementById(amountId)?.focus();
      return;
    }
    if (message.length > TIP_MESSAGE_MAX) {
      setInvalid(null);
      return;
    }
    setInvalid(null);
    mutation.mutate({ amount: n, message: message.trim() });
  }

  const owed = insufficientBalance(mutation.error);
  return (
    <form onSubmit={onSubmit} noValidate data-testid="tip-form">
      <p className="muted">
        Tips go straight to {name}.{" "}
        {wallet.data ? `You have ${tokens(wallet.data.balance)}.` : null}
      </p>
      <div className={invalid ? "field field-invalid" : "field"}>
        <label className="field-label" htmlFor={amountId}>
          Amount (tokens)
        </label>
        <div className="chips" role="group" aria-label="Quick amounts">
          {QUICK_AMOUNTS.map((quick) => (
            <button
              key={quick}
              type="button"
              className="chip"
              aria-pressed={amount === String(quick)}
              onClick={() => {
                setAmount(String(quick));
                setInvalid(null);
              }}
            >
              {quick}
            </button>
          ))}
        </div>
        <input
          id={amountId}
          name="amount"
          className="input"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          required
          value={amount}
          onChange={(event) => {
            setAmount(event.target.value);
            setInvalid(null);
          }}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={invalid ? `${amountId}-error` : undefined}
          data-testid="tip-amount"
          data-autofocus
        />
        {invalid ? (
          <p className="field-error" id={`${amountId}-error`} data-testid="field-error-amount">
            {invalid}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label className="field-label" htmlFor={messageId}>
          Message <span className="muted">(optional)</span>
        </label>
        <textarea
          id={messageId}
          name="message"
          className="input"
          rows={3}
          maxLength={TIP_MESSAGE_MAX}
          value={message}
          onChange={(event) => setMessage(event.target.value)}
          aria-describedby={`${messageId}-count`}
          data-testid="tip-message"
        />
        <p className="field-hint" id={`${messageId}-count`}>
          {message.length}/{TIP_MESSAGE_MAX} characters
        </p>
      </div>
      {mutation.isError ? (
        <div className="alert alert-error" role="alert" data-testid="tip-error">
          {owed !== null ? (
            <p>
              You have {tokens(owed)}; <Link to="/wallet">top up in your wallet</Link>.
            </p>
          ) : (
            errorMessages(mutation.error, ["amount", "message"]).map((text) => (
              <p key={text}>{text}</p>
            ))
          )}
        </div>
      ) : null}
      <div className="actions">
        <button
          type="submit"
          className="btn btn-primary"
          disabled={mutation.isPending}
          aria-busy={mutation.isPending || undefined}
          data-testid="tip-submit"
        >
          {mutation.isPending ? <Spinner label="Sending…" /> : "Send tip"}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * The "Send a tip" button of a creator's page; for signed-out visitors a "Sign in to tip"
 * link that comes back to the page.
 */
export function TipButton({ onClick }: { onClick: () => void }) {
  const { status } = useSession();
  if (status !== "signed-in") {
    return (
      <SignInLink className="btn btn-ghost" testId="tip-sign-in">
        Sign in to tip
      </SignInLink>
    );
  }
  return (
    <button type="button" className="btn btn-ghost" onClick={onClick} data-testid="tip-button">
      Send a tip
    </button>
  );
}

export function TipDialog({
  handle,
  name,
  onClose,
}: {
  handle: string;
  name: string;
  onClose: () => void;
}) {
  return (
    <Dialog title={`Tip ${name}`} onClose={onClose} testId="tip-dialog">
      <TipDialogBody handle={handle} name={name} onDone={onClose} />
    </Dialog>
  );
}

/** Tipping needs an account: a visitor who opened the dialog is offered to sign in. */
function TipDialogBody({
  handle,
  name,
  onDone,
}: {
  handle: string;
  name: string;
  onDone: () => void;
}) {
  const { status } = useSession();
  if (status === "signed-in") return <TipForm handle={handle} name={name} onDone={onDone} />;
  return (
    <>
      <p>Sign in to tip {name}. You&apos;ll come back to this page.</p>
      <div className="actions">
        <SignInLink testId="tip-sign-in">Sign in to tip</SignInLink>
        <button type="button" className="btn btn-ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </>
  );
}
