import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { startSession } from "../api/session";
import { apiError, deferred, fieldErrors, json, makeSession, mockApi } from "../test/api";
import type { RecordedRequest } from "../test/api";
import { makeCreator, page } from "../test/data";
import { renderApp } from "../test/render";

function routes(tip: (request: RecordedRequest) => Response | Promise<Response>) {
  return {
    "GET /api/creators/grace": () => json(200, makeCreator()),
    "GET /api/creators/grace/media": () => json(200, page([])),
    "GET /api/wallet": () => json(200, { balance: 100 }),
    "POST /api/tips": tip,
  };
}

async function openDialog() {
  startSession(makeSession("t1"));
  const view = renderApp("/creators/grace");
  await view.user.click(await screen.findByTestId("tip-button"));
  return view;
}

describe("the tip dialog", () => {
  it("sends the tip with a fresh idempotency key and shows the new balance everywhere", async () => {
    const answer = deferred<Response>();
    const server = mockApi(routes(() => answer.promise));
    const { user } = await openDialog();

    const dialog = screen.getByRole("dialog", { name: "Tip Grace Hopper" });
    expect(screen.getByTestId("tip-amount")).toHaveFocus();
    expect(await within(dialog).findByText(/You have 100 tokens/)).toBeVisible();
    await user.type(screen.getByTestId("tip-amount"), "25");
    await user.type(screen.getByTestId("tip-message"), "Thanks for the talk");
    await user.click(screen.getByTestId("tip-submit"));

    expect(screen.getByTestId("tip-submit")).toBeDisabled();
    answer.resolve(json(201, { tip_id: "t-1", creator: "grace", amount: 25, balance: 75 }));
    expect(await screen.findByTestId("tip-success")).toHaveTextContent(
      "You tipped Grace Hopper 25 tokens.",
    );
    await waitFor(() => expect(screen.getByTestId("header-balance")).toHaveTextContent(/^75$/));

    const [request] = server.to("POST", "/api/tips");
    expect(request.body).toEqual({ creator: "grace", amount: 25, message: "Thanks for the talk" });
    expect(request.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);

    await user.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByTestId("tip-button")).toHaveFocus();
  });

  it("explains an insufficient balance and links to the wallet", async () => {
    mockApi(
      routes(() =>
        apiError(409, "insufficient_balance", "Not enough tokens.", { balance: 3, needed: 10 }),
      ),
    );
    const { user } = await openDialog();
    await user.click(screen.getByRole("button", { name: "10" }));
    expect(screen.getByTestId("tip-amount")).toHaveValue(10);
    await user.click(screen.getByTestId("tip-submit"));

    const error = await screen.findByTestId("tip-error");
    expect(error).toHaveTextContent("You have 3 tokens; top up in your wallet.");
    expect(within(error).getByRole("link", { name: "top up in your wallet" })).toHaveAttribute(
      "href",
      "/wallet",
    );
    expect(screen.queryByTestId("tip-success")).not.toBeInTheDocument();
  });

  it("checks the amount before sending, and uses a new key after a definitive answer", async () => {
    let calls = 0;
    const server = mockApi(
      routes(() => {
        calls += 1;
        return calls === 1
          ? fieldErrors(["amount", "Input should be less than or equal to 1000000"])
          : json(201, { tip_id: "t-2", creator: "grace", amount: 2, balance: 98 });
      }),
    );
    const { user } = await openDialog();

    await user.click(screen.getByTestId("tip-submit"));
    expect(screen.getByTestId("field-error-amount")).toHaveTextContent(
      "Enter a whole number of tokens, 1 or more.",
    );
    expect(screen.getByTestId("tip-amount")).toHaveFocus();
    await user.type(screen.getByTestId("tip-amount"), "0");
    await user.click(screen.getByTestId("tip-submit"));
    expect(server.to("POST", "/api/tips")).toHaveLength(0);

    await user.clear(screen.getByTestId("tip-amount"));
    await user.type(screen.getByTestId("tip-amount"), "2");
    await user.click(screen.getByTestId("tip-submit"));
    expect(await screen.findByTestId("tip-error")).toHaveTextContent(
      "Input should be less than or equal to 1000000",
    );
    await user.click(screen.getByTestId("tip-submit"));
    expect(await screen.findByTestId("tip-success")).toBeVisible();

    const keys = server.to("POST", "/api/tips").map((r) => r.headers.get("Idempotency-Key"));
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it("retries the same tip after a lost answer with the same key", async () => {
    let calls = 0;
    const server = mockApi(
      routes(() => {
        calls += 1;
        return calls === 1
          ? json(503, {})
          : json(201, { tip_id: "t-3", creator: "grace", amount: 7, balance: 93 });
      }),
    );
    const { user } = await openDialog();
    await user.type(screen.getByTestId("tip-amount"), "7");
    await user.click(screen.getByTestId("tip-submit"));
    expect(await screen.findByTestId("tip-error")).toBeVisible();
    await user.click(screen.getByTestId("tip-submit"));
    expect(await screen.findByTestId("tip-success")).toBeVisible();

    const keys = server.to("POST", "/api/tips").map((r) => r.headers.get("Idempotency-Key"));
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
  });

  it("closes on Escape", async () => {
    mockApi(routes(() => json(500, {})));
    const { user } = await openDialog();
    expect(screen.getByRole("dialog")).toBeVisible();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });
});
