import { screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { endSession } from "../api/session";
import { apiError, fieldErrors, json, makeSession, makeUser, mockApi } from "../test/api";
import { renderApp } from "../test/render";

type User = ReturnType<typeof renderApp>["user"];

async function fill(
  user: User,
  values: Partial<Record<"Email" | "Password" | "Display name" | "Handle", string>>,
) {
  for (const [label, value] of Object.entries(values)) {
    const input = screen.getByLabelText(label);
    await user.clear(input);
    if (value) await user.type(input, value);
  }
}

const VALID = {
  Email: "grace@example.com",
  Password: "a long enough password",
  "Display name": "Grace Hopper",
  Handle: "grace_h",
} as const;

describe("signup page", () => {
  it("creates a creator account and lands on the dashboard", async () => {
    endSession(null);
    const server = mockApi({
      "POST /api/auth/signup": () =>
        json(201, makeSession("t1", makeUser({ display_name: "Grace Hopper", role: "creator" }))),
    });
    const { user, router } = renderApp("/signup");

    await fill(user, VALID);
    await user.click(screen.getByLabelText(/a creator/));
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByRole("heading", { name: "Welcome, Grace Hopper" })).toBeVisible();
    expect(router.state.location.pathname).toBe("/dashboard");
    const [request] = server.to("POST", "/api/auth/signup");
    expect(request.body).toEqual({
      email: "grace@example.com",
      password: "a long enough password",
      display_name: "Grace Hopper",
      handle: "grace_h",
      role: "creator",
    });
    expect(request.init.credentials).toBe("include");
  });

  it("shows client-side errors next to each field and sends nothing", async () => {
    endSession(null);
    const server = mockApi({});
    const { user } = renderApp("/signup");

    await fill(user, { Email: "grace@", Password: "short", "Display name": "", Handle: "no" });
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(screen.getByTestId("field-error-email")).toHaveTextContent(/valid email/i);
    expect(screen.getByTestId("field-error-password")).toHaveTextContent(
      "Use 10 to 128 characters.",
    );
    expect(screen.getByTestId("field-error-display_name")).toBeInTheDocument();
    expect(screen.getByTestId("field-error-handle")).toHaveTextContent(
      "Use 3 to 30 letters, digits or underscores (_).",
    );
    expect(screen.getByLabelText("Email")).toHaveFocus();
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(
      expect.stringContaining("Use 10 to 128 characters.") as string,
    );
    expect(server.requests).toHaveLength(0);

    // Fixing a field clears its message.
    await user.type(screen.getByLabelText("Handle"), "_ok");
    expect(screen.queryByTestId("field-error-handle")).not.toBeInTheDocument();
  });

  it("refuses a password equal to the handle", async () => {
    endSession(null);
    const server = mockApi({});
    const { user } = renderApp("/signup");

    await fill(user, { ...VALID, Handle: "longhandle1", Password: "LongHandle1" });
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(screen.getByTestId("field-error-password")).toHaveTextContent(
      "Your password can't be your email or handle.",
    );
    expect(screen.getByLabelText("Password")).toHaveFocus();
    expect(server.requests).toHaveLength(0);
  });

  it("shows the server's 422 field errors next to the matching inputs", async () => {
    endSession(null);
    mockApi({
      "POST /api/auth/signup": () =>
        fieldErrors(
          [
            "email",
            "value is not a valid email address: The domain name example.invalid does not exist.",
          ],
          ["password", "Password must not be your email or handle."],
        ),
    });
    const { user } = renderApp("/signup");

    await fill(user, VALID);
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByTestId("field-error-email")).toHaveTextContent(
      "value is not a valid email address: The domain name example.invalid does not exist.",
    );
    expect(screen.getByTestId("field-error-password")).toHaveTextContent(
      "Password must not be your email or handle.",
    );
    expect(screen.getByLabelText("Email")).toHaveFocus();
    expect(screen.queryByTestId("form-error")).not.toBeInTheDocument();
  });

  it("puts a 409 next to the field it names", async () => {
    endSession(null);
    mockApi({
      "POST /api/auth/signup": () =>
        apiError(409, "conflict", "This handle is taken.", { field: "handle" }),
    });
    const { user } = renderApp("/signup");
    await fill(user, VALID);
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByTestId("field-error-handle")).toHaveTextContent(
      "This handle is taken.",
    );
    expect(screen.getByLabelText("Handle")).toHaveFocus();
  });

  it("shows a 409 without a field as a form error", async () => {
    endSession(null);
    mockApi({
      "POST /api/auth/signup": () =>
        apiError(409, "conflict", "An account with this email already exists."),
    });
    const { user } = renderApp("/signup");
    await fill(user, VALID);
    await user.click(screen.getByRole("button", { name: "Create account" }));

    expect(await screen.findByTestId("form-error")).toHaveTextContent(
      "An account with this email already exists.",
    );
  });

  it("offers the fan / creator choice, fan by default", () => {
    endSession(null);
    renderApp("/signup");
    expect(screen.getByRole("group", { name: "I am…" })).toBeInTheDocument();
    expect(screen.getByRole("radio", { name: /a fan/ })).toBeChecked();
    expect(screen.getByRole("radio", { name: /a creator/ })).not.toBeChecked();
  });
});
