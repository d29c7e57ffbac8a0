/**
 * Two tabs share one refresh cookie, and the server revokes the whole session when a rotated
 * refresh token is presented again. These tests run tabs as separate copies of the API client
 * (fresh module graphs) over fake Web Locks and BroadcastChannel.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { apiError, bearer, json, makeSession, makeUser, mockApi, tick } from "../test/api";
import { installTabFakes, removeTabFakes, type FakeLockManager } from "../test/tabs";
import type * as Client from "./index";
import { LOCK_NAME } from "./crossTab";

type Tab = typeof Client;

async function openTab(): Promise<Tab> {
  vi.resetModules();
  return import("./index");
}

/** The API's refresh rotation with reuse detection, over one shared cookie jar. */
function fakeAccountsServer() {
  let generation = 1;
  const state = { cookie: "refresh-1", revoked: false, reuseDetected: false };
  const server = mockApi({
    "GET /api/me": (r) =>
      !state.revoked && bearer(r) === `access-${generation}`
        ? json(200, makeUser())
        : apiError(401, "invalid_token", "Your access token has expired."),
    "POST /api/auth/refresh": async () => {
      const presented = state.cookie; // what the browser sends with this request
      await tick(5); // the server takes a moment
      if (state.revoked || presented !== `refresh-${generation}`) {
        state.reuseDetected = !state.revoked;
        state.revoked = true;
        return apiError(401, "session_expired", "Your session has ended; sign in again.");
      }
      generation += 1;
      state.cookie = `refresh-${generation}`; // Set-Cookie: the rotated token
      return json(200, makeSession(`access-${generation}`));
    },
  });
  /** Make every access token handed out so far stale (as if 15 minutes went by). */
  const expireAccessTokens = () => {
    generation += 1;
    state.cookie = `refresh-${generation}`;
  };
  return { server, state, expireAccessTokens };
}

let locks: FakeLockManager;

beforeEach(() => {
  locks = installTabFakes();
});

afterEach(() => {
  removeTabFakes();
});

describe("refresh across tabs", () => {
  it("a tab that waited on the lock uses the token the other tab got instead of refreshing", async () => {
    const tab = await openTab();
    const server = mockApi({
      "GET /api/me": (r) =>
        bearer(r) === "from-other-tab"
          ? json(200, makeUser())
          : apiError(401, "invalid_token", "Your access token has expired."),
      "POST /api/auth/refresh": () => json(200, makeSession("refreshed-again")),
    });
    const { startSession } = await import("./session"); // this tab's copy
    startSession(makeSession("stale")); // a token the API no longer accepts

    // The other tab holds the lock while it refreshes...
    let release!: () => void;
    const otherTabHolds = locks.request(LOCK_NAME, { mode: "exclusive" }, () => {
      return new Promise<void>((resolve) => (release = resolve));
    });
    const request = tab.api("/api/me");
    await tick(10);
    expect(server.to("GET", "/api/me")).toHaveLength(1); // got its 401, now waits on the lock
    // ...broadcasts what it got, then lets go.
    new BroadcastChannel("digis-auth").postMessage({
      type: "session",
      accessToken: "from-other-tab",
      expiresAt: Date.now() + 900_000,
      user: makeUser(),
      sentAt: Date.now(),
    });
    await tick(10);
    release();
    await otherTabHolds;

    await expect(request).resolves.toMatchObject({ handle: "ada" });
    expect(server.to("POST", "/api/auth/refresh")).toHaveLength(0);
    expect(server.to("GET", "/api/me").map(bearer)).toEqual(["stale", "from-other-tab"]);
    expect(tab.getAccessToken()).toBe("from-other-tab");
  });

  it("two tabs meeting a 401 at once refresh once, and the session survives", async () => {
    const { server, state, expireAccessTokens } = fakeAccountsServer();
    const tabA = await openTab();
    const tabB = await openTab();
    // Both tabs load at once; the lock lets only one of them present the cookie.
    await Promise.all([tabA.restoreSession(), tabB.restoreSession()]);
    expect(tabB.getAccessToken()).toBe(tabA.getAccessToken());

    expireAccessTokens();
    const [a, b] = await Promise.all([tabA.api("/api/me"), tabB.api("/api/me")]);

    expect(a).toMatchObject({ handle: "ada" });
    expect(b).toMatchObject({ handle: "ada" });
    expect(server.to("POST", "/api/auth/refresh")).toHaveLength(2); // the restore, then one more
    expect(state.reuseDetected).toBe(false);
    expect(tabA.getAccessToken()).toBe(tabB.getAccessToken());
  });

  it("two tabs restoring on load at once do not present the same cookie twice", async () => {
    const { server, state } = fakeAccountsServer();
    const tabA = await openTab();
    const tabB = await openTab();

    await Promise.all([tabA.restoreSession(), tabB.restoreSession()]);

    expect(state.reuseDetected).toBe(false);
    expect(server.to("POST", "/api/auth/refresh")).toHaveLength(1);
    expect(tabA.getSessionState().status).toBe("signed-in");
    expect(tabB.getSessionState().status).toBe("signed-in");
  });

  it("signing out in one tab signs out the others", async () => {
    fakeAccountsServer();
    const tabA = await openTab();
    const tabB = await openTab();
    await Promise.all([tabA.restoreSession(), tabB.restoreSession()]);

    mockApi({ "POST /api/auth/logout": () => new Response(null, { status: 204 }) });
    await tabA.logout();
    await tick(10);

    expect(tabA.getSessionState()).toMatchObject({ status: "signed-out", reason: "logout" });
    expect(tabB.getSessionState()).toMatchObject({ status: "signed-out", reason: "logout" });
    expect(tabB.getAccessToken()).toBeNull();
  });

  it("without Web Locks and BroadcastChannel each tab still refreshes on its own", async () => {
    removeTabFakes();
    vi.stubGlobal("BroadcastChannel", undefined);
    const { server } = fakeAccountsServer();
    const tab = await openTab();
    await tab.restoreSession();
    await expect(tab.api("/api/me")).resolves.toMatchObject({ handle: "ada" });
    expect(server.to("POST", "/api/auth/refresh")).toHaveLength(1);
  });
});
