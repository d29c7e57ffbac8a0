import { describe, expect, it, vi } from "vitest";
import {
  apiError,
  bearer,
  deferred,
  fieldErrors,
  json,
  makeSession,
  makeUser,
  mockApi,
  noContent,
} from "../test/api";
import { login } from "./accounts";
import { api } from "./client";
import { ApiError, NetworkError } from "./errors";
import { keepSessionFresh, restoreSession } from "./refresh";
import { getAccessToken, getSessionState, startSession } from "./session";

function signIn(token = "token-1") {
  startSession(makeSession(token));
}

describe("api()", () => {
  it("calls relative /api paths with the in-memory bearer token and a JSON body", async () => {
    signIn("token-1");
    const server = mockApi({ "PATCH /api/me": () => json(200, makeUser({ bio: "hi" })) });

    const user = await api("/api/me", { method: "PATCH", body: { bio: "hi" } });

    expect(user).toMatchObject({ bio: "hi" });
    const [request] = server.requests;
    expect(request.url).toBe("/api/me");
    expect(request.headers.get("Authorization")).toBe("Bearer token-1");
    expect(request.headers.get("Content-Type")).toBe("application/json");
    expect(request.body).toEqual({ bio: "hi" });
  });

  it("uses VITE_API_URL as the base when it is set", async () => {
    vi.stubEnv("VITE_API_URL", "https://api.digis.test/");
    const server = mockApi({ "GET /api/things": () => json(200, []) });
    await api("/api/things", { auth: false, query: { limit: 5, cursor: null } });
    expect(server.requests[0].url).toBe("https://api.digis.test/api/things?limit=5");
  });

  it("answers undefined for 204", async () => {
    mockApi({ "POST /api/auth/logout": () => noContent() });
    await expect(api("/api/auth/logout", { method: "POST", auth: false })).resolves.toBeUndefined();
  });

  it("keeps the access token out of every storage a script could read", async () => {
    const server = mockApi({
      "POST /api/auth/login": () => json(200, makeSession("secret-token")),
    });
    await login({ email: "ada@example.com", password: "correct horse battery" });

    expect(getAccessToken()).toBe("secret-token");
    expect(server.to("POST", "/api/auth/login")[0].init.credentials).toBe("include");
    const everything = [
      JSON.stringify({ ...localStorage }),
      JSON.stringify({ ...sessionStorage }),
      document.cookie,
    ].join(" ");
    expect(everything).not.toContain("secret-token");
  });
});

describe("errors", () => {
  it("turns a 422 into an ApiError with its field errors", async () => {
    mockApi({
      "POST /api/auth/signup": () =>
        fieldErrors(["password", "String should have at least 10 characters"], ["handle", "bad"]),
    });
    const error = await api("/api/auth/signup", { method: "POST", body: {}, auth: false }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(ApiError);
    const apiErr = error as ApiError;
    expect(apiErr).toMatchObject({
      status: 422,
      code: "validation_error",
      message: "The request is not valid.",
      requestId: "req-123",
    });
    expect(apiErr.fields).toEqual([
      {
        field: "password",
        message: "String should have at least 10 characters",
        type: "value_error",
      },
      { field: "handle", message: "bad", type: "value_error" },
    ]);
    expect(apiErr.fieldErrors).toEqual({
      password: "String should have at least 10 characters",
      handle: "bad",
    });
  });

  it("exposes the field a 409 names", async () => {
    mockApi({
      "POST /api/auth/signup": () =>
        apiError(409, "conflict", "This handle is taken.", { field: "handle" }),
    });
    const error = (await api("/api/auth/signup", { method: "POST", auth: false }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(error.status).toBe(409);
    expect(error.conflictField).toBe("handle");
    expect(error.message).toBe("This handle is taken.");
  });

  it("adds the wait to a 429's message", async () => {
    mockApi({
      "POST /api/auth/login": () =>
        apiError(
          429,
          "rate_limited",
          "Too many requests; try again later.",
          { policy: "login", retry_after: 290 },
          { "Retry-After": "290" },
        ),
    });
    const error = (await api("/api/auth/login", { method: "POST", auth: false }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(error.retryAfter).toBe(290);
    expect(error.message).toBe(
      "Too many requests; try again later. You can try again in 5 minutes.",
    );
  });

  it("copes with an error that is not in the API's shape", async () => {
    mockApi({
      "GET /api/me": () => new Response("<html>Bad gateway</html>", { status: 502 }),
    });
    const error = (await api("/api/me", { auth: false }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/Digis had a problem \(502\)/);
  });

  it("reports a failed connection as a NetworkError with a helpful message", async () => {
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    const error = await api("/api/me").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/can't reach Digis/i);
  });

  it("lets an abort through untouched", async () => {
    const abort = new DOMException("The operation was aborted.", "AbortError");
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(abort));
    await expect(api("/api/me", { auth: false })).rejects.toBe(abort);
  });
});

describe("refresh on 401", () => {
  it("refreshes once through the cookie and retries the request", async () => {
    signIn("old");
    const server = mockApi({
      "GET /api/me": (r) =>
        bearer(r) === "new" ? json(200, makeUser()) : apiError(401, "invalid_token", "Expired."),
      "POST /api/auth/refresh": () => json(200, makeSession("new")),
    });

    await expect(api("/api/me")).resolves.toMatchObject({ handle: "ada" });

    const refreshes = server.to("POST", "/api/auth/refresh");
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0].init.credentials).toBe("include");
    expect(server.to("GET", "/api/me").map(bearer)).toEqual(["old", "new"]);
    expect(getAccessToken()).toBe("new");
  });

  it("shares one in-flight refresh between concurrent 401s", async () => {
    signIn("old");
    const refreshAnswer = deferred<Response>();
    const server = mockApi({
      "GET /api/a": (r) => (bearer(r) === "new" ? json(200, "a") : apiError(401, "x", "Expired.")),
      "GET /api/b": (r) => (bearer(r) === "new" ? json(200, "b") : apiError(401, "x", "Expired.")),
      "GET /api/c": (r) => (bearer(r) === "new" ? json(200, "c") : apiError(401, "x", "Expired.")),
      "POST /api/auth/refresh": () => refreshAnswer.promise,
    });

    const results = Promise.all([api("/api/a"), api("/api/b"), api("/api/c")]);
    await vi.waitFor(() => expect(server.to("POST", "/api/auth/refresh")).toHaveLength(1));
    refreshAnswer.resolve(json(200, makeSession("new")));

    await expect(results).resolves.toEqual(["a", "b", "c"]);
    expect(server.to("POST", "/api/auth/refresh")).toHaveLength(1);
  });

  it("does not refresh when another request already replaced the token", async () => {
    signIn("old");
    const server = mockApi({
      "GET /api/me": (r) => {
        if (bearer(r) === "old") {
          // Meanwhile the token was refreshed by someone else.
          startSession(makeSession("newer"));
          return apiError(401, "invalid_token", "Expired.");
        }
        return json(200, makeUser());
      },
    });
    await api("/api/me");
    expect(server.to("POST", "/api/auth/refresh")).toHaveLength(0);
    expect(server.to("GET", "/api/me").map(bearer)).toEqual(["old", "newer"]);
  });

  it("signs out when the refresh fails, and throws the original 401", async () => {
    signIn("old");
    const server = mockApi({
      "GET /api/me": () => apiError(401, "invalid_token", "Your access token has expired."),
      "POST /api/auth/refresh": () =>
        apiError(401, "session_expired", "Your session has ended; sign in again."),
    });

    const error = (await api("/api/me").catch((e: unknown) => e)) as ApiError;

    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(401);
    expect(getAccessToken()).toBeNull();
    expect(getSessionState()).toMatchObject({
      status: "signed-out",
      user: null,
      reason: "expired",
    });
    expect(server.to("GET", "/api/me")).toHaveLength(1); // no retry without a session
  });

  it("stays signed in when the refresh cannot reach the server", async () => {
    signIn("old");
    mockApi({
      "GET /api/me": () => apiError(401, "invalid_token", "Expired."),
      "POST /api/auth/refresh": () => {
        throw new TypeError("Failed to fetch");
      },
    });
    await expect(api("/api/me")).rejects.toBeInstanceOf(NetworkError);
    expect(getSessionState().status).toBe("signed-in");
  });

  it("never refreshes for routes that work without a session (a login 401 is wrong credentials)", async () => {
    const server = mockApi({
      "POST /api/auth/login": () =>
        apiError(401, "invalid_credentials", "Incorrect email or password."),
    });
    await expect(login({ email: "a@b.co", password: "nope-nope-nope" })).rejects.toThrow(
      "Incorrect email or password.",
    );
    expect(server.to("POST", "/api/auth/refresh")).toHaveLength(0);
  });

  it("refreshes first when the token is about to expire", async () => {
    startSession(makeSession("short", makeUser(), 5)); // expires within the safety margin
    const server = mockApi({
      "GET /api/me": (r) =>
        bearer(r) === "new" ? json(200, makeUser()) : apiError(401, "x", "no"),
      "POST /api/auth/refresh": () => json(200, makeSession("new")),
    });
    await api("/api/me");
    expect(server.to("GET", "/api/me").map(bearer)).toEqual(["new"]);
  });
});

describe("restoreSession()", () => {
  it("signs in from the refresh cookie", async () => {
    mockApi({ "POST /api/auth/refresh": () => json(200, makeSession("restored")) });
    expect(getSessionState().status).toBe("unknown");
    await restoreSession();
    expect(getSessionState()).toMatchObject({ status: "signed-in", user: { handle: "ada" } });
    expect(getAccessToken()).toBe("restored");
  });

  it("treats a 401 as simply signed out", async () => {
    mockApi({
      "POST /api/auth/refresh": () => apiError(401, "no_session", "You are not signed in."),
    });
    await restoreSession();
    expect(getSessionState()).toEqual({
      status: "signed-out",
      user: null,
      reason: null,
      problem: null,
    });
  });

  it("reports a problem (not a silent sign-out) when the API cannot be reached", async () => {
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    await restoreSession();
    expect(getSessionState().status).toBe("signed-out");
    expect(getSessionState().problem).toMatch(/couldn't restore your session/i);
  });

  it("makes requests wait until the session is known", async () => {
    const answer = deferred<Response>();
    const server = mockApi({
      "POST /api/auth/refresh": () => answer.promise,
      "GET /api/me": () => json(200, makeUser()),
    });
    void restoreSession();
    const me = api("/api/me");
    answer.resolve(json(200, makeSession("restored")));
    await me;
    expect(server.to("GET", "/api/me").map(bearer)).toEqual(["restored"]);
  });
});

describe("keepSessionFresh()", () => {
  it("refreshes shortly before the access token expires", async () => {
    vi.useFakeTimers();
    try {
      const server = mockApi({ "POST /api/auth/refresh": () => json(200, makeSession("next")) });
      const stop = keepSessionFresh();
      startSession(makeSession("first", makeUser(), 900));

      await vi.advanceTimersByTimeAsync(830_000);
      expect(server.to("POST", "/api/auth/refresh")).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(15_000); // 60 s before expiry
      expect(server.to("POST", "/api/auth/refresh")).toHaveLength(1);
      expect(getAccessToken()).toBe("next");
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
