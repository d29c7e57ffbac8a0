/** The creator's earnings: available, on hold, paid out and lifetime, and the last 30 days. */
import type { Earnings } from "../../api/types";
import { ErrorState, Loading } from "../../components/states";
import { dateTime, money, tokens } from "../../lib/format";
import { useDailyEarnings, useEarnings } from "../../queries/payouts";

function Stat({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: string;
  hint?: string;
  testId: string;
}) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>
        <span data-testid={testId}>{value}</span>
        {hint ? <span className="muted small stat-hint">{hint}</span> : null}
      </dd>
    </div>
  );
}

export function EarningsSummary() {
  const earnings = useEarnings();
  return (
    <section className="card" aria-labelledby="dash-earnings-title">
      <h2 id="dash-earnings-title">Earnings</h2>
      {earnings.isPending ? (
        <Loading label="Loading your earnings…" />
      ) : earnings.isError ? (
        <ErrorState error={earnings.error} onRetry={() => void earnings.refetch()} />
      ) : (
        <EarningsFigures earnings={earnings.data} />
      )}
    </section>
  );
}

function EarningsFigures({ earnings }: { earnings: Earnings }) {
  const cash = (cents: number) => money(cents, earnings.currency);
  const release = earnings.next_release_at
    ? `Next release ${dateTime(earnings.next_release_at)}`
    : undefined;
  return (
    <>
      <dl className="stats earnings-stats" data-testid="earnings-summary">
        <Stat
          label="Available"
          value={tokens(earnings.available_tokens)}
          hint={cash(earnings.available_cents)}
          testId="earnings-available"
        />
        <Stat
          label="On hold"
          value={tokens(earnings.on_hold_tokens)}
          hint={[cash(earnings.on_hold_cents), release].filter(Boolean).join(" · ")}
          testId="earnings-on-hold"
        />
        <Stat
          label="Paid out"
          value={tokens(earnings.paid_out_tokens)}
          hint={cash(earnings.paid_out_tokens * earnings.token_payout_cents)}
          testId="earnings-paid-out"
        />
        <Stat
          label="Lifetime"
          value={tokens(earnings.lifetime_tokens)}
          hint={cash(earnings.lifetime_cents)}
          testId="earnings-lifetime"
        />
      </dl>
      <p className="muted small" data-testid="earnings-rate">
        1 token = {cash(earnings.token_payout_cents)}.{" "}
        {earnings.hold_days > 0
          ? `Tokens you receive are on hold for ${earnings.hold_days} ${earnings.hold_days === 1 ? "day" : "days"}, then you can cash them out.`
          : "Tokens you receive can be cashed out right away."}
      </p>
      <LastDays />
    </>
  );
}

const DAILY_DAYS = 30;

/** Tokens received per day over the last 30 days: a total and small bars. */
function LastDays() {
  const daily = useDailyEarnings(DAILY_DAYS);
  if (!daily.data) return null;
  const days = daily.data.days;
  const total = days.reduce((sum, day) => sum + day.tokens, 0);
  const most = Math.max(1, ...days.map((day) => day.tokens));
  return (
    <div className="daily" data-testid="earnings-daily">
      <p className="small">
        {tokens(total)} received in the last {DAILY_DAYS} days
      </p>
      <div
        className="daily-bars"
        role="img"
        aria-label={`Tokens received per day, last ${DAILY_DAYS} days: ${tokens(total)} in all`}
      >
        {days.map((day) => (
          <span
            key={day.date}
            className="daily-bar"
            style={{ height: `${Math.round((day.tokens / most) * 100)}%` }}
            title={`${day.date}: ${tokens(day.tokens)}`}
          />
        ))}
      </div>
    </div>
  );
}
