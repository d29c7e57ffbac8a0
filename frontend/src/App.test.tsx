import { act, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { restoreSession } from "./api/refresh";
import { endSession, getSessionState, startSession } from "./api/session";
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
} from "./test/api";
import { renderApp } from "./test/render";

describe("app shell", () => {
  it("shows a loading state until it knows whether someone is signed in", async () => {
    const answer = deferred<Response>();
    mockApi({ "POST /api/auth/refresh": () => answer.promise });
    void restoreSession();
    renderApp("/");

    expect(screen.getByTestId("app-loading")).toHaveTextContent("Loading Digis…");
    answer.resolve(apiError(401, "no_session", "You are not signed in."));

    const header = await screen.findByRole("banner");
    expect(within(header).getByTestId("login-button")).toHaveTextContent("Sign in");
    expect(within(header).getByTestId("signup-button")).toHaveAttribute("href", "/signup");
    expect(document.title).toBe("Digis");
  });

  it("restores the session from the refresh cookie", async () => {
    mockApi({ "POST /api/auth/refresh": () => json(200, makeSession("t1")) });
    void restoreSession();
    const { router } = renderApp("/dashboard");
    expect(await screen.findByRole("heading", { name: "Welcome, Ada Lovelace" })).toBeVisible();
    expect(router.state.location.pathname).toBe("/dashboard");
    const nav = screen.getByRole("navigation", { name: "Main" });
    for (const name of ["Dashboard", "Creators", "Wallet", "Notifications"]) {
      expect(within(nav).getByRole("link", { name })).toBeInTheDocument();
    }
  });

  it("says so, with a retry, when the API cannot be reached on load", async () => {
    let reachable = false;
    mockApi({
      "POST /api/auth/refresh": () => {
        if (!reachable) throw new TypeError("Failed to fetch");
        return json(200, makeSession("t1"));
      },
    });
    await restoreSession();
    const { user } = renderApp("/");

    expect(screen.getByTestId("session-problem")).toHaveTextContent(/can't reach Digis/i);
    reachable = true;
    await user.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(screen.queryByTestId("session-problem")).not.toBeInTheDocument());
    expect(screen.getByTestId("user-menu-button")).toBeInTheDocument();
  });

  it.each(["/dashboard", "/settings", "/wallet", "/notifications"])(
    "sends signed-out visitors of %s to /login",
    async (path) => {
      endSession(null);
      const { router } = renderApp(path);
      expect(await screen.findByRole("heading", { name: "Sign in" })).toBeVisible();
      expect(router.state.location.pathname).toBe("/login");
    },
  );

  it("has a not-found page", () => {
    endSession(null);
    renderApp("/no/such/page");
    expect(screen.getByRole("heading", { name: "Page not found" })).toBeVisible();
  });
});

describe("user menu and signing out", () => {
  it("opens with the keyboard and closes on Escape, returning focus", async () => {
    startSession(makeSession("t1"));
    const { user } = renderApp("/dashboard");
    const button = await screen.findByTestId("user-menu-button");
    expect(button).toHaveAttribute("aria-expanded", "false");

    button.focus();
    await user.keyboard("{Enter}");
    expect(button).toHaveAttribute("aria-expanded", "true");
    expect(screen.getByTestId("logout-button")).toBeVisible();
    expect(screen.getByRole("link", { name: "Settings" })).toBeVisible();

    await user.keyboard("{Escape}");
    expect(button).toHaveAttribute("aria-expanded", "false");
    expect(button).toHaveFocus();
  });

  it("signs out and goes to the login page", async () => {
    startSession(makeSession("t1"));
    const server = mockApi({ "POST /api/auth/logout": () => noContent() });
    const { user, router } = renderApp("/dashboard");

    await user.click(await screen.findByTestId("user-menu-button"));
    await user.click(screen.getByTestId("logout-button"));

    expect(await screen.findByText("You're signed out.")).toBeVisible();
    expect(router.state.location.pathname).toBe("/login");
    expect(screen.getByTestId("login-button")).toBeVisible();
    expect(server.to("POST", "/api/auth/logout")[0].init.credentials).toBe("include");
    expect(getSessionState().status).toBe("signed-out");
  });

  it("stays signed in, and says why, when signing out fails", async () => {
    startSession(makeSession("t1"));
    mockApi({
      "POST /api/auth/logout": () => {
        throw new TypeError("Failed to fetch");
      },
    });
    const { user } = renderApp("/dashboard");
    await user.click(await screen.findByTestId("user-menu-button"));
    await user.click(screen.getByTestId("logout-button"));
    expect(await screen.findByRole("alert")).toHaveTextContent(/couldn't sign out/i);
    expect(getSessionState().status).toBe("signed-in");
  });

  it("sends a person whose session ended back to /login, then back to where they were", async () => {
    startSession(makeSession("t1"));
    mockApi({
      "PATCH /api/me": () => apiError(401, "invalid_token", "Your access token has expired."),
      "POST /api/auth/refresh": () =>
        apiError(401, "session_expired", "Your session has ended; sign in again."),
      "POST /api/auth/login": () => json(200, makeSession("t2")),
    });
    const { user, router } = renderApp("/settings");

    const bio = await screen.findByLabelText("Bio");
    await user.type(bio, "Hello");
    await user.click(screen.getByRole("button", { name: "Save profile" }));

    expect(await screen.findByText("Your session has ended. Please sign in again.")).toBeVisible();
    expect(router.state.location.pathname).toBe("/login");

    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "correct horse battery");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/settings"));
  });
});

describe("settings", () => {
  it("saves only the changed profile fields and shows the new name everywhere", async () => {
    startSession(makeSession("t1"));
    const server = mockApi({
      "PATCH /api/me": () => json(200, makeUser({ display_name: "Countess Ada" })),
    });
    const { user } = renderApp("/settings");

    const name = await screen.findByLabelText("Display name");
    await user.clear(name);
    await user.type(name, "Countess Ada");
    await user.click(screen.getByRole("button", { name: "Save profile" }));

    expect(await screen.findByTestId("profile-saved")).toHaveTextContent("Profile saved.");
    expect(server.to("PATCH", "/api/me")[0].body).toEqual({ display_name: "Countess Ada" });
    expect(screen.getByTestId("user-menu-button")).toHaveTextContent("Countess Ada");
  });

  it("shows a taken handle next to the handle", async () => {
    startSession(makeSession("t1"));
    mockApi({
      "PATCH /api/me": () =>
        apiError(409, "conflict", "This handle is taken.", { field: "handle" }),
    });
    const { user } = renderApp("/settings");
    const handle = await screen.findByLabelText("Handle");
    await user.clear(handle);
    await user.type(handle, "grace");
    await user.click(screen.getByRole("button", { name: "Save profile" }));
    expect(await screen.findByTestId("field-error-handle")).toHaveTextContent(
      "This handle is taken.",
    );
  });

  it("changes the password, refreshing transparently if the API asks", async () => {
    startSession(makeSession("t1"));
    const server = mockApi({
      "POST /api/me/password": (r) =>
        bearer(r) === "t2" ? noContent() : apiError(401, "invalid_token", "Expired."),
      "POST /api/auth/refresh": () => json(200, makeSession("t2")),
    });
    const { user } = renderApp("/settings");

    await user.type(await screen.findByLabelText("Current password"), "old password 123");
    await user.type(screen.getByLabelText("New password"), "new password 456");
    await user.type(screen.getByLabelText("Repeat the new password"), "new password 456");
    await user.click(screen.getByRole("button", { name: "Change password" }));

    expect(await screen.findByTestId("password-saved")).toHaveTextContent(/Password changed/);
    expect(server.to("POST", "/api/me/password").at(-1)?.body).toEqual({
      current_password: "old password 123",
      new_password: "new password 456",
    });
    expect(screen.getByLabelText("Current password")).toHaveValue("");
  });

  it("shows a wrong current password next to that field", async () => {
    startSession(makeSession("t1"));
    mockApi({
      "POST /api/me/password": () =>
        fieldErrors(["current_password", "The current password is not correct."]),
    });
    const { user } = renderApp("/settings");
    await user.type(await screen.findByLabelText("Current password"), "not it at all");
    await user.type(screen.getByLabelText("New password"), "new password 456");
    await user.type(screen.getByLabelText("Repeat the new password"), "new password 456");
    await user.click(screen.getByRole("button", { name: "Change password" }));

    expect(await screen.findByTestId("field-error-current_password")).toHaveTextContent(
      "The current password is not correct.",
    );
    expect(screen.getByLabelText("Current password")).toHaveFocus();
  });

  it("signs out everywhere", async () => {
    startSession(makeSession("t1"));
    const server = mockApi({ "POST /api/auth/logout-all": () => noContent() });
    const { user, router } = renderApp("/settings");

    await user.click(await screen.findByTestId("logout-all-button"));

    await waitFor(() => expect(router.state.location.pathname).toBe("/login"));
    expect(bearer(server.to("POST", "/api/auth/logout-all")[0])).toBe("t1");
    expect(getSessionState().status).toBe("signed-out");
  });
});

describe("password reset", () => {
  it("always answers the same way when asked for a link", async () => {
    endSession(null);
    const server = mockApi({
      "POST /api/auth/password-reset": () =>
        json(202, { status: "accepted", message: "whatever the server says" }),
    });
    const { user } = renderApp("/forgot-password");
    await user.type(screen.getByLabelText("Email"), "someone@example.com");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));

    expect(await screen.findByTestId("reset-requested")).toHaveTextContent(
      "If that email has an account, a link is on its way.",
    );
    expect(server.to("POST", "/api/auth/password-reset")[0].body).toEqual({
      email: "someone@example.com",
    });
  });

  it("sets a new password and goes to sign in with a notice", async () => {
    endSession(null);
    const server = mockApi({ "POST /api/auth/password-reset/confirm": () => noContent() });
    const { user, router } = renderApp("/reset-password?token=reset-token-123");

    await user.type(screen.getByLabelText("New password"), "brand new password");
    await user.type(screen.getByLabelText("Repeat the new password"), "brand new password");
    await user.click(screen.getByRole("button", { name: "Change password" }));

    expect(
      await screen.findByText("Your password was changed. Sign in with your new password."),
    ).toBeVisible();
    expect(router.state.location.pathname).toBe("/login");
    expect(server.to("POST", "/api/auth/password-reset/confirm")[0].body).toEqual({
      token: "reset-token-123",
      new_password: "brand new password",
    });
  });

  it("explains an expired or used link", async () => {
    endSession(null);
    mockApi({
      "POST /api/auth/password-reset/confirm": () =>
        fieldErrors(["token", "This reset link has expired; ask for a new one."]),
    });
    const { user } = renderApp("/reset-password?token=old-token-123");
    await user.type(screen.getByLabelText("New password"), "brand new password");
    await user.type(screen.getByLabelText("Repeat the new password"), "brand new password");
    await user.click(screen.getByRole("button", { name: "Change password" }));

    const alert = await screen.findByTestId("form-error");
    expect(alert).toHaveTextContent("This reset link has expired; ask for a new one.");
    expect(within(alert).getByRole("link", { name: "Ask for a new link" })).toHaveAttribute(
      "href",
      "/forgot-password",
    );
  });

  it("handles a link without its token", () => {
    endSession(null);
    renderApp("/reset-password");
    expect(screen.getByRole("heading", { name: "This link is incomplete" })).toBeVisible();
  });
});

describe("other tabs", () => {
  it("follows a sign-in that happened in another tab", async () => {
    endSession(null);
    const { router } = renderApp("/login");
    act(() => startSession(makeSession("from-elsewhere")));
    await waitFor(() => expect(router.state.location.pathname).toBe("/dashboard"));
  });
});
