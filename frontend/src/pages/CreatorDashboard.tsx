/** The creator's half of the dashboard: earnings, the payout account, cashing out, payouts. */
import { CashOut } from "./creator/CashOut";
import { EarningsSummary } from "./creator/Earnings";
import { RecentTips, TopSupporters } from "./creator/Fans";
import { PayoutAccountCard, useOnboardingReturn } from "./creator/PayoutAccount";
import { Payouts } from "./creator/Payouts";

export function CreatorMain() {
  return (
    <>
      <EarningsSummary />
      <CashOut />
      <Payouts />
      <RecentTips />
    </>
  );
}

export function CreatorSide() {
  const returned = useOnboardingReturn();
  return (
    <>
      <PayoutAccountCard returned={returned} />
      <TopSupporters />
    </>
  );
}
