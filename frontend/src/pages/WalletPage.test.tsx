import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { startSession } from "../api/session";
import { apiError, json, makeSession, mockApi } from "../test/api";
import { makePurchase, page } from "../test/data";
import { renderApp } from "../test/render";

const PACKAGES = {
  packages: [
    { id: "small", tokens: 100, price_cents: 999, currency: "usd", label: "100 tokens" },
    { id: "large", tokens: 1200, price_cents: 9999, currency: "usd", label: "Best value" },
  ],
};

describe("the wallet", () => {
  it("shows the balance, packages, activity and purchases", async () => {
    startSession(makeSession("t1"));
    mockApi({
      "GET /api/wallet": () => json(200, { balance: 93 }),
      "GET /api/tokens/packages": () => json(200, PACKAGES),
      "GET /api/wallet/entries": () =>
        json(
          200,
          page([
            {
              id: 2,
              amount: -7,
              kind: "tip_sent",
              created_at: "2026-01-02T00:00:00Z",
              description: "Tip to @ada",
              reference: "t",
            },
            {
              id: 1,
              amount: 100,
              kind: "purchase",
              created_at: "2026-01-01T00:00:00Z",
              description: "100 tokens",
              reference: "p",
            },
          ]),
        ),
      "GET /api/payments": () => json(200, page([makePurchase({ status: "paid" })])),
    });
    renderApp("/wallet");
    expect(await screen.findByTestId("wallet-balance")).toHaveTextContent(/^93$/);
    expect(await screen.findByTestId("package-small")).toBeEnabled();
    expect(screen.getByText("Best value")).toBeVisible();
    const entries = await screen.findByTestId("entries-list");
    expect(within(entries).getByText("Tip sent")).toBeVisible();
    expect(within(entries).getByText("-7")).toBeVisible();
    expect(within(entries).getByText("+100")).toBeVisible();
    expect(await screen.findByTestId("purchase-history")).toHaveTextContent("Paid");
    expect(screen.queryByTestId("wallet-owed")).not.toBeInTheDocument();
  });

  it("explains a negative balance", async () => {
    startSession(makeSession("t1"));
    mockApi({ "GET /api/wallet": () => json(200, { balance: -40 }) });
    renderApp("/wallet");
    expect(await screen.findByTestId("wallet-balance")).toHaveTextContent(/^-40$/);
    expect(screen.getByTestId("wallet-owed")).toHaveTextContent("You owe 40 tokens after a refund");
  });

  it("starts a purchase with an idempotency key and goes to the checkout", async () => {
    startSession(makeSession("t1"));
    const assign = vi.fn();
    vi.stubGlobal("location", { ...window.location, assign });
    const server = mockApi({
      "GET /api/tokens/packages": () => json(200, PACKAGES),
      "POST /api/tokens/purchase": () =>
        json(201, { purchase_id: "p1", checkout_url: "http://127.0.0.1:12111/checkout/cs_1" }),
    });
    const { user } = renderApp("/wallet");
    await user.click(await screen.findByTestId("package-large"));
    await waitFor(() =>
      expect(assign).toHaveBeenCalledWith("http://127.0.0.1:12111/checkout/cs_1"),
    );
    const [request] = server.to("POST", "/api/tokens/purchase");
    expect(request.body).toEqual({ package_id: "large" });
    expect(request.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("says when buying is throttled", async () => {
    startSession(makeSession("t1"));
    mockApi({
      "GET /api/tokens/packages": () => json(200, PACKAGES),
      "POST /api/tokens/purchase": () =>
        apiError(429, "rate_limited", "Too many payments.", null, { "Retry-After": "600" }),
    });
    const { user } = renderApp("/wallet");
    await user.click(await screen.findByTestId("package-small"));
    expect(await screen.findByTestId("purchase-error")).toHaveTextContent(
      "Too many payments. You can try again in 10 minutes.",
    );
    expect(screen.getByTestId("package-small")).toBeEnabled();
  });

  it("shows an error with a retry when the balance cannot load", async () => {
    startSession(makeSession("t1"));
    let fail = true;
    mockApi({
      "GET /api/wallet": () =>
        fail ? apiError(404, "not_found", "No wallet.") : json(200, { balance: 5 }),
    });
    const { user } = renderApp("/wallet");
    const alert = await screen.findByText(/No wallet\./);
    fail = false;
    await user.click(
      within(alert.closest("[role=alert]") as HTMLElement).getByRole("button", {
        name: "Try again",
      }),
    );
    expect(await screen.findByTestId("wallet-balance")).toHaveTextContent(/^5$/);
  });
});
