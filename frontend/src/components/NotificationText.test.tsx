import { describe, expect, it } from "vitest";
import { makeNotification } from "../test/data";
import {
  describeNotification,
  notificationActor,
  notificationLink,
  personLink,
} from "./NotificationText";

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

describe("notifications that name the other person", () => {
  const fan = {
    id: "u2",
    handle: "mira",
    display_name: "Mira Patel",
    avatar_url: "/media/mira.webp",
    role: "fan",
  };
  const creator = { ...fan, handle: "ada", display_name: "Ada", role: "creator" };

  it("name them with display name and @handle", () => {
    const tip = makeNotification({
      kind: "tip",
      data: { from: { handle: "mira", display_name: "Mira Patel" }, actor: fan, amount: 5 },
    });
    expect(describeNotification(tip)).toBe("Mira Patel (@mira) tipped you 5 tokens");
    expect(notificationActor(tip)).toEqual(fan);
  });

  it("link a creator who followed to their page, and a fan to nowhere", () => {
    const byCreator = makeNotification({ kind: "follow", data: { actor: creator } });
    expect(describeNotification(byCreator)).toBe("Ada (@ada) followed you");
    expect(notificationLink(byCreator, "grace")).toBe("/creators/ada");
    const byFan = makeNotification({ kind: "follow", data: { actor: fan } });
    expect(notificationLink(byFan, "grace")).toBeNull();
    expect(personLink(fan)).toBeNull();
  });

  it("render a post unlock with the price, leading to the creator's page", () => {
    const unlocked = makeNotification({
      kind: "post_unlocked",
      data: { post_id: "p1", price: 12, actor: fan },
    });
    expect(describeNotification(unlocked)).toBe(
      "Mira Patel (@mira) unlocked your post for 12 tokens",
    );
    expect(notificationLink(unlocked, "grace")).toBe("/creators/grace");
  });

  it("keep rendering older notices stored without an actor", () => {
    const old = makeNotification(); // data.follower only
    expect(notificationActor(old)).toBeNull();
    expect(describeNotification(old)).toBe("Demo Fan followed you");
    expect(notificationLink(old, "grace")).toBeNull();
    const oldTip = makeNotification({
      kind: "tip",
      data: { from: { handle: "mira", display_name: "Mira Patel" }, amount: 1 },
    });
    expect(describeNotification(oldTip)).toBe("Mira Patel tipped you 1 token");
  });

  it("send a fan's 'photo ready' to settings, not to a creator page they lack", () => {
    const ready = makeNotification({ kind: "media_ready", data: { media_id: "m1" } });
    expect(notificationLink(ready, "mira", "fan")).toBe("/settings");
    expect(notificationLink(ready, "ada", "creator")).toBe("/creators/ada");
  });
});
