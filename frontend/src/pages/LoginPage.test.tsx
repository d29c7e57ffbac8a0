import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { endSession, startSession } from "../api/session";
import { apiError, json, makeSession, makeUser, mockApi } from "../test/api";
import { renderApp } from "../test/render";

function signedOut() {
  endSession(null);
}

describe("login page", () => {
  it("signs in and lands on the dashboard", async () => {
    signedOut();
    const server = mockApi({
      "POST /api/auth/login": () => json(200, makeSession("t1", makeUser({ display_name: "Ada" }))),
    });
    const { user, router } = renderApp("/login");

    await user.type(screen.getByLabelText("Email"), "  Ada@Example.com ");
    await user.type(screen.getByLabelText("Password"), "correct horse battery");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("heading", { name: "Welcome, Ada" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/dashboard");
    expect(server.to("POST", "/api/auth/login")[0].body).toEqual({
      email: "Ada@Example.com",
      password: "correct horse battery",
    });
    // The header now shows the signed-in person and their menu.
    expect(screen.getByTestId("user-menu-button")).toHaveTextContent("Ada");
    expect(screen.queryByTestId("login-button")).not.toBeInTheDocument();
  });

  it("has the form the end-to-end suite drives", () => {
    signedOut();
    const { container } = renderApp("/login");
    expect(container.querySelector('input[name="email"]')).toBeInTheDocument();
    expect(container.querySelector('input[name="password"]')).toBeInTheDocument();
    expect(container.querySelector('button[type="submit"]')).toBeInTheDocument();
  });

  it("shows the API's message for wrong credentials", async () => {
    signedOut();
    mockApi({
      "POST /api/auth/login": () =>
        apiError(401, "invalid_credentials", "Incorrect email or password."),
    });
    const { user, router } = renderApp("/login");

    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "wrong password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    const alert = await screen.findByTestId("form-error");
    expect(alert).toHaveTextContent("Incorrect email or password.");
    expect(alert).toHaveAttribute("role", "alert");
    expect(router.state.location.pathname).toBe("/login");
    expect(screen.getByRole("button", { name: "Sign in" })).toBeEnabled();
  });

  it("says how long to wait when throttled", async () => {
    signedOut();
    mockApi({
      "POST /api/auth/login": () =>
        apiError(
          429,
          "rate_limited",
          "Too many requests; try again later.",
          { retry_after: 120 },
          { "Retry-After": "120" },
        ),
    });
    const { user } = renderApp("/login");
    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "whatever-it-is");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByTestId("form-error")).toHaveTextContent(
      "Too many requests; try again later. You can try again in 2 minutes.",
    );
  });

  it("checks the fields before calling the API", async () => {
    signedOut();
    const server = mockApi({});
    const { user } = renderApp("/login");

    await user.type(screen.getByLabelText("Email"), "not-an-email");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(screen.getByTestId("field-error-email")).toHaveTextContent(/valid email/i);
    expect(screen.getByTestId("field-error-password")).toHaveTextContent("Enter your password.");
    expect(screen.getByLabelText("Email")).toHaveFocus();
    expect(screen.getByLabelText("Email")).toHaveAttribute("aria-invalid", "true");
    expect(server.requests).toHaveLength(0);
  });

  it("returns to the protected page the person was sent away from", async () => {
    signedOut();
    mockApi({ "POST /api/auth/login": () => json(200, makeSession("t1")) });
    const { user, router } = renderApp("/settings");

    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/login");
    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "correct horse battery");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByRole("heading", { name: "Settings" })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/settings");
  });

  it("sends a signed-in person on to the dashboard", async () => {
    startSession(makeSession("t1"));
    const { router } = renderApp("/login");
    expect(await screen.findByTestId("dashboard")).toBeInTheDocument();
    expect(router.state.location.pathname).toBe("/dashboard");
  });

  it("links to sign-up and password reset", () => {
    signedOut();
    renderApp("/login");
    const header = screen.getByRole("banner");
    expect(within(header).getByTestId("login-button")).toHaveAttribute("href", "/login");
    expect(screen.getByRole("link", { name: "Forgot your password?" })).toHaveAttribute(
      "href",
      "/forgot-password",
    );
    expect(screen.getByRole("link", { name: "Create an account" })).toHaveAttribute(
      "href",
      "/signup",
    );
  });
});
