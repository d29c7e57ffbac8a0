/** Cashing out available tokens: checked against the minimum and what is available. */
import { useId, useState, type FormEvent } from "react";
import { Spinner } from "../../components/feedback";
import { money, tokens } from "../../lib/format";
import { errorMessages } from "../../lib/formErrors";
import {
  availableFromError,
  useEarnings,
  usePayoutAccount,
  useRequestPayout,
} from "../../queries/payouts";

export function CashOut() {
  const earnings = useEarnings();
  const account = usePayoutAccount();
  const payout = useRequestPayout();
  const inputId = useId();
  const [value, setValue] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);

  if (!earnings.data || !account.data) return null;
  const { available_tokens: available, minimum_payout_tokens: minimum } = earnings.data;
  const enabled = account.data.state === "enabled";
  const cash = (n: number) => money(n * earnings.data.token_payout_cents, earnings.data.currency);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = value.trim();
    const n = Number(text);
    let problem: string | null = null;
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) {
      problem = "Enter a whole number of tokens.";
    } else if (n < minimum) {
      problem = `The minimum payout is ${tokens(minimum)}.`;
    } else if (n > available) {
      problem = `You have ${tokens(available)} available.`;
    }
    setInvalid(problem);
    if (problem) {
      document.getElementById(inputId)?.focus();
      return;
    }
    payout.mutate(n, { onSuccess: () => setValue("") });
  }

  const short = availableFromError(payout.error);
  return (
    <section className="card" aria-labelledby="dash-cash-out-title">
      <h2 id="dash-cash-out-title">Cash out</h2>
      {!enabled ? (
        <p className="muted" data-testid="cash-out-disabled">
          Set up payouts to cash out your earnings.
        </p>
      ) : (
        <form onSubmit={onSubmit} noValidate data-testid="cash-out-form">
          <div className={invalid ? "field field-invalid" : "field"}>
            <label className="field-label" htmlFor={inputId}>
              Tokens to cash out
            </label>
            <p className="field-hint" id={`${inputId}-hint`}>
              {tokens(available)} available ({cash(available)}); the minimum is {tokens(minimum)}.
            </p>
            <div className="input-with-action">
              <input
                id={inputId}
                name="tokens"
                className="input"
                type="number"
                inputMode="numeric"
                min={minimum}
                max={available}
                step={1}
                value={value}
                onChange={(event) => {
                  setValue(event.target.value);
                  setInvalid(null);
                }}
                aria-invalid={invalid ? true : undefined}
                aria-describedby={invalid ? `${inputId}-hint ${inputId}-error` : `${inputId}-hint`}
                data-testid="cash-out-tokens"
              />
              <button
                type="button"
                className="input-action"
                onClick={() => {
                  setValue(String(available));
                  setInvalid(null);
                }}
                disabled={available < 1}
              >
                All
              </button>
            </div>
            {invalid ? (
              <p className="field-error" id={`${inputId}-error`} data-testid="field-error-tokens">
                {invalid}
              </p>
            ) : null}
          </div>
          {payout.isError ? (
            <div className="alert alert-error" role="alert" data-testid="cash-out-error">
              {short !== null ? (
                <p>Only {tokens(short)} are available now; cash out that many or fewer.</p>
              ) : (
                errorMessages(payout.error, ["tokens"]).map((text) => <p key={text}>{text}</p>)
              )}
            </div>
          ) : null}
          {payout.isSuccess ? (
            <div className="alert alert-success" role="status" data-testid="cash-out-success">
              <p>
                {tokens(payout.data.tokens)} (
                {money(payout.data.amount_cents, payout.data.currency)}) are on their way to your
                bank.
              </p>
            </div>
          ) : null}
          <div className="actions">
            <button
              type="submit"
              className="btn btn-primary"
              disabled={payout.isPending}
              aria-busy={payout.isPending || undefined}
              data-testid="cash-out-submit"
            >
              {payout.isPending ? <Spinner label="Requesting…" /> : "Cash out"}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
