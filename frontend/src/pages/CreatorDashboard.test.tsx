import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { startSession } from "../api/session";
import type { Earnings, Payout, PayoutAccount } from "../api/types";
import { apiError, json, makeSession, makeUser, mockApi, type Handler } from "../test/api";
import { page } from "../test/data";
import { renderApp } from "../test/render";

const creator = makeUser({ role: "creator", handle: "grace", display_name: "Grace Hopper" });
const fan = { id: "f1", handle: "ada", display_name: "Ada Lovelace", avatar_url: null };

function earnings(overrides: Partial<Earnings> = {}): Earnings {
  return {
    available_tokens: 420,
    on_hold_tokens: 80,
    lifetime_tokens: 1500,
    paid_out_tokens: 1000,
    available_cents: 2100,
    on_hold_cents: 400,
    lifetime_cents: 7500,
    token_payout_cents: 5,
    currency: "usd",
    hold_days: 7,
    minimum_payout_tokens: 100,
    next_release_at: "2025-03-09T15:19:58Z",
    ...overrides,
  };
}

function account(state: PayoutAccount["state"]): PayoutAccount {
  return {
    state,
    payouts_enabled: state === "enabled",
    requirements_due: state === "restricted" ? ["external_account"] : [],
    disabled_reason: null,
  };
}

function payout(overrides: Partial<Payout> = {}): Payout {
  return {
    id: "6c0b7a52-1f3e-4d2a-9b8c-7e6f5a4d3c2b",
    tokens: 400,
    amount_cents: 2000,
    currency: "usd",
    status: "in_transit",
    failure_code: null,
    failure_message: null,
    created_at: "2025-03-02T15:19:58Z",
    paid_at: null,
    failed_at: null,
    ...overrides,
  };
}

function creatorApi(routes: Record<string, Handler> = {}) {
  return mockApi({
    "GET /api/earnings": () => json(200, earnings()),
    "GET /api/payouts/account": () => json(200, account("enabled")),
    "GET /api/payouts": () => json(200, page([])),
    "GET /api/earnings/tips": () => json(200, page([])),
    "GET /api/earnings/supporters": () => json(200, { items: [] }),
    "GET /api/earnings/daily": () =>
      json(200, {
        days: [
          { date: "2025-03-01", tokens: 40 },
          { date: "2025-03-02", tokens: 0 },
          { date: "2025-03-03", tokens: 10 },
        ],
      }),
    ...routes,
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe("the creator's dashboard", () => {
  it("shows earnings in tokens and money, tips and supporters, instead of the fan's lists", async () => {
    startSession(makeSession("t1", creator));
    creatorApi({
      "GET /api/earnings/tips": () =>
        json(
          200,
          page([
            {
              id: "t1",
              fan,
              amount: 50,
              message: "Loved it!",
              created_at: "2025-03-02T15:19:58Z",
            },
          ]),
        ),
      "GET /api/earnings/supporters": () =>
        json(200, {
          items: [{ user: fan, tokens: 300, times: 4, last_at: "2025-03-02T15:19:58Z" }],
        }),
    });
    renderApp("/dashboard");
    expect(await screen.findByTestId("earnings-available")).toHaveTextContent("420 tokens");
    const summary = screen.getByTestId("earnings-summary");
    expect(summary).toHaveTextContent("$21.00");
    expect(screen.getByTestId("earnings-on-hold")).toHaveTextContent("80 tokens");
    expect(summary).toHaveTextContent("Next release");
    expect(screen.getByTestId("earnings-paid-out")).toHaveTextContent("1000 tokens");
    expect(summary).toHaveTextContent("$50.00");
    expect(screen.getByTestId("earnings-rate")).toHaveTextContent(
      "1 token = $0.05. Tokens you receive are on hold for 7 days",
    );
    expect(
      await screen.findByRole("img", {
        name: "Tokens received per day, last 30 days: 50 tokens in all",
      }),
    ).toBeVisible();
    expect(screen.getByTestId("earnings-daily")).toHaveTextContent(
      "50 tokens received in the last 30 days",
    );
    expect(await screen.findByTestId("received-tips")).toHaveTextContent(
      "Ada Lovelace tipped 50 tokens: “Loved it!”",
    );
    expect(await screen.findByTestId("top-supporters")).toHaveTextContent("300 tokens · 4 times");
    expect(screen.queryByTestId("dashboard-following")).not.toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Buy tokens" })).not.toBeInTheDocument();
    expect(screen.getByTestId("nav-upload")).toHaveAttribute("href", "/upload");
  });

  it("sends the creator to Stripe's onboarding to set up payouts", async () => {
    startSession(makeSession("t1", creator));
    const assign = vi.fn();
    vi.stubGlobal("location", { ...window.location, assign });
    const server = creatorApi({
      "GET /api/payouts/account": () => json(200, account("none")),
      "POST /api/payouts/account": () =>
        json(200, { ...account("onboarding"), onboarding_url: "https://stripe.test/onboard/1" }),
    });
    renderApp("/dashboard");
    expect(await screen.findByTestId("payout-account-state")).toHaveTextContent("Not set up");
    expect(await screen.findByTestId("cash-out-disabled")).toHaveTextContent(
      "Set up payouts to cash out",
    );
    await userEvent.click(screen.getByRole("button", { name: "Set up payouts" }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith("https://stripe.test/onboard/1"));
    expect(server.to("POST", "/api/payouts/account")).toHaveLength(1);
  });

  it("on return from Stripe asks again until the account is enabled", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    startSession(makeSession("t1", creator));
    let state: PayoutAccount["state"] = "onboarding";
    const server = creatorApi({ "GET /api/payouts/account": () => json(200, account(state)) });
    renderApp("/dashboard?payouts=return");
    expect(await screen.findByTestId("payout-account-state")).toHaveTextContent(
      "Setup not finished",
    );
    expect(screen.getByText("Checking with Stripe…")).toBeVisible();
    state = "enabled";
    await act(() => vi.advanceTimersByTimeAsync(2500));
    await waitFor(() =>
      expect(screen.getByTestId("payout-account-state")).toHaveTextContent("Ready for payouts"),
    );
    const asked = server.to("GET", "/api/payouts/account").length;
    await act(() => vi.advanceTimersByTimeAsync(6000));
    expect(server.to("GET", "/api/payouts/account")).toHaveLength(asked);
    expect(screen.getByLabelText("Tokens to cash out")).toBeVisible();
  });

  it("says an expired setup link can be renewed, and shows what Stripe still needs", async () => {
    startSession(makeSession("t1", creator));
    creatorApi({ "GET /api/payouts/account": () => json(200, account("restricted")) });
    renderApp("/dashboard?payouts=refresh");
    expect(await screen.findByTestId("payout-account-state")).toHaveAttribute(
      "data-state",
      "restricted",
    );
    expect(
      screen.getByText("That setup link expired. Continue setup to get a fresh one."),
    ).toBeVisible();
    expect(screen.getByText("Stripe still needs: external_account.")).toBeVisible();
    expect(screen.getByRole("button", { name: "Continue setup" })).toBeEnabled();
    expect(screen.queryByText("Checking with Stripe…")).not.toBeInTheDocument();
  });

  it("is not asked for by a fan's dashboard", async () => {
    startSession(makeSession("t1"));
    const server = creatorApi();
    renderApp("/dashboard");
    expect(await screen.findByTestId("dashboard-following")).toBeVisible();
    expect(server.requests.filter((r) => /^\/api\/(earnings|payouts)/.test(r.path))).toEqual([]);
  });

  it("checks the amount against the minimum and what is available before asking", async () => {
    startSession(makeSession("t1", creator));
    const server = creatorApi();
    renderApp("/dashboard");
    const input = await screen.findByLabelText("Tokens to cash out");
    await userEvent.type(input, "50");
    await userEvent.click(screen.getByRole("button", { name: "Cash out" }));
    expect(screen.getByTestId("field-error-tokens")).toHaveTextContent(
      "The minimum payout is 100 tokens.",
    );
    await userEvent.clear(input);
    await userEvent.type(input, "500");
    await userEvent.click(screen.getByRole("button", { name: "Cash out" }));
    expect(screen.getByTestId("field-error-tokens")).toHaveTextContent(
      "You have 420 tokens available.",
    );
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(server.to("POST", "/api/payouts")).toHaveLength(0);
  });

  it("cashes out with an Idempotency-Key and lists the payout, polling until paid", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    startSession(makeSession("t1", creator));
    let payouts: Payout[] = [];
    let available = 420;
    const server = creatorApi({
      "GET /api/earnings": () => json(200, earnings({ available_tokens: available })),
      "GET /api/wallet": () => json(200, { balance: available }),
      "GET /api/payouts": () => json(200, page(payouts)),
      "POST /api/payouts": () => {
        payouts = [payout({ status: "requested" })];
        available = 20;
        return json(201, payouts[0]);
      },
    });
    renderApp("/dashboard");
    expect(await screen.findByTestId("payouts-list")).toHaveTextContent("No payouts yet.");
    await userEvent.click(await screen.findByRole("button", { name: "All" }));
    expect(screen.getByLabelText("Tokens to cash out")).toHaveValue(420);
    await userEvent.clear(screen.getByLabelText("Tokens to cash out"));
    await userEvent.type(screen.getByLabelText("Tokens to cash out"), "400");
    await userEvent.click(screen.getByRole("button", { name: "Cash out" }));

    expect(await screen.findByTestId("cash-out-success")).toHaveTextContent(
      "400 tokens ($20.00) are on their way to your bank.",
    );
    await waitFor(() => expect(screen.getByTestId("header-balance")).toHaveTextContent(/^20$/));
    const [sent] = server.to("POST", "/api/payouts");
    expect(sent.body).toEqual({ tokens: 400 });
    expect(sent.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(() =>
      expect(screen.getByTestId("earnings-available")).toHaveTextContent("20 tokens"),
    );
    const list = screen.getByTestId("payouts-list");
    await waitFor(() =>
      expect(within(list).getByTestId("payout-status")).toHaveTextContent("Requested"),
    );

    payouts = [payout({ status: "paid", paid_at: "2025-03-03T00:00:00Z" })];
    await act(() => vi.advanceTimersByTimeAsync(3500));
    await waitFor(() =>
      expect(
        within(screen.getByTestId("payouts-list")).getByTestId("payout-status"),
      ).toHaveTextContent("Paid"),
    );
    const polls = server.to("GET", "/api/payouts").length;
    await act(() => vi.advanceTimersByTimeAsync(7000));
    expect(server.to("GET", "/api/payouts")).toHaveLength(polls);
  });

  it("explains the API's refusals: fewer tokens available, payouts not enabled", async () => {
    startSession(makeSession("t1", creator));
    let answer = apiError(409, "insufficient_earnings", "Not enough available.", {
      available_tokens: 150,
    });
    creatorApi({ "POST /api/payouts": () => answer });
    renderApp("/dashboard");
    const input = await screen.findByLabelText("Tokens to cash out");
    await userEvent.type(input, "400");
    await userEvent.click(screen.getByRole("button", { name: "Cash out" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Only 150 tokens are available now; cash out that many or fewer.",
    );
    answer = apiError(409, "payouts_not_enabled", "Finish setting up payouts first.");
    await userEvent.click(screen.getByRole("button", { name: "Cash out" }));
    await waitFor(() =>
      expect(screen.getByTestId("cash-out-error")).toHaveTextContent(
        "Finish setting up payouts first.",
      ),
    );
  });
});
