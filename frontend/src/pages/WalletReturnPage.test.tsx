import { act, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startSession } from "../api/session";
import { json, makeSession, mockApi } from "../test/api";
import { makePurchase } from "../test/data";
import { renderApp } from "../test/render";

const ID = makePurchase().id;

describe("the wallet return page", () => {
  beforeEach(() => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("polls every second until the webhook has credited the tokens, then says so", async () => {
    startSession(makeSession("t1"));
    let status: "pending" | "paid" = "pending";
    let balance = 0;
    const server = mockApi({
      [`GET /api/payments/${ID}`]: () => json(200, makePurchase({ status })),
      "GET /api/wallet": () => json(200, { balance }),
    });
    renderApp(`/wallet/return?purchase=${ID}&session_id=cs_test_1`);

    const shown = await screen.findByTestId("purchase-status");
    expect(shown).toHaveAttribute("data-state", "pending");
    expect(shown).toHaveTextContent("Waiting for the payment to be confirmed…");
    await waitFor(() => expect(server.to("GET", `/api/payments/${ID}`)).toHaveLength(1));

    await act(() => vi.advanceTimersByTimeAsync(1000));
    await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(server.to("GET", `/api/payments/${ID}`).length).toBeGreaterThanOrEqual(3);
    expect(screen.getByTestId("purchase-status")).toHaveAttribute("data-state", "pending");

    status = "paid";
    balance = 100;
    await act(() => vi.advanceTimersByTimeAsync(1000));
    await waitFor(() =>
      expect(screen.getByTestId("purchase-status")).toHaveAttribute("data-state", "paid"),
    );
    expect(screen.getByTestId("purchase-status")).toHaveTextContent(
      "100 tokens added to your wallet",
    );
    // The header's balance is refreshed, and polling stops.
    await waitFor(() => expect(screen.getByTestId("header-balance")).toHaveTextContent(/^100$/));
    const polls = server.to("GET", `/api/payments/${ID}`).length;
    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(server.to("GET", `/api/payments/${ID}`)).toHaveLength(polls);
  });

  it.each(["failed", "expired"] as const)("says a %s payment added no tokens", async (status) => {
    startSession(makeSession("t1"));
    mockApi({ [`GET /api/payments/${ID}`]: () => json(200, makePurchase({ status })) });
    renderApp(`/wallet/return?purchase=${ID}&session_id=cs_test_1`);
    await waitFor(() =>
      expect(screen.getByTestId("purchase-status")).toHaveAttribute("data-state", "failed"),
    );
    expect(screen.getByTestId("purchase-status")).toHaveTextContent(
      "The payment did not go through; no tokens were added.",
    );
  });

  it("treats a cancelled checkout as failed without waiting, and closes it", async () => {
    startSession(makeSession("t1"));
    const server = mockApi({
      [`GET /api/payments/${ID}`]: () => json(200, makePurchase()),
      [`POST /api/payments/${ID}/abandon`]: () => json(200, makePurchase({ status: "expired" })),
    });
    renderApp(`/wallet/return?purchase=${ID}&cancelled=1`);
    const shown = await screen.findByTestId("purchase-status");
    expect(shown).toHaveAttribute("data-state", "failed");
    expect(shown).toHaveTextContent("The payment did not go through; no tokens were added.");
    await waitFor(() => expect(server.to("POST", `/api/payments/${ID}/abandon`)).toHaveLength(1));
    await act(() => vi.advanceTimersByTimeAsync(5000));
    expect(server.to("GET", `/api/payments/${ID}`).length).toBeLessThanOrEqual(1);
    expect(server.to("POST", `/api/payments/${ID}/abandon`)).toHaveLength(1);
  });

  it("polls every second, then every three, stops after about a minute, can check again", async () => {
    startSession(makeSession("t1"));
    const server = mockApi({ [`GET /api/payments/${ID}`]: () => json(200, makePurchase()) });
    const { user } = renderApp(`/wallet/return?purchase=${ID}&session_id=cs_test_1`);
    await screen.findByTestId("purchase-status");
    for (let i = 0; i < 61; i++) await act(() => vi.advanceTimersByTimeAsync(1000));
    expect(await screen.findByText(/hasn't been confirmed yet/)).toBeVisible();
    const polls = server.to("GET", `/api/payments/${ID}`).length;
    // ten in the first ten seconds, then one every three: well inside the status route's
    // 120 reads per 15 minutes.
    expect(polls).toBeGreaterThanOrEqual(25);
    expect(polls).toBeLessThanOrEqual(30);
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    expect(server.to("GET", `/api/payments/${ID}`)).toHaveLength(polls);

    await user.click(screen.getByRole("button", { name: "Check again" }));
    await waitFor(() =>
      expect(server.to("GET", `/api/payments/${ID}`).length).toBeGreaterThan(polls),
    );
    expect(screen.getByTestId("purchase-status")).toHaveTextContent(
      "Waiting for the payment to be confirmed…",
    );
  });
});
