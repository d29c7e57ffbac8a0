import { describe, expect, it } from "vitest";
import { makeNotification } from "../test/data";
import { describeNotification, notificationLink } from "./NotificationText";

describe("payout notifications", () => {
  const data = { payout_id: "p1", tokens: 400, amount_cents: 2000, currency: "usd" };

  it("say a payout was paid, and lead to the dashboard", () => {
    const paid = makeNotification({ kind: "payout_paid", data: { ...data, status: "paid" } });
    expect(describeNotification(paid)).toBe("$20.00 was paid to your bank");
    expect(notificationLink(paid, "grace")).toBe("/dashboard");
  });

  it("say why a payout failed", () => {
    const failed = makeNotification({
      kind: "payout_failed",
      data: { ...data, status: "failed", message: "Check your bank details." },
    });
    expect(describeNotification(failed)).toBe("$20.00 failed: Check your bank details.");
    expect(describeNotification(makeNotification({ kind: "payout_failed", data: {} }))).toBe(
      "Your payout failed to reach your bank",
    );
  });
});
