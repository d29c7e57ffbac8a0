import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Link, useLocation } from "react-router";
import { login } from "../api/accounts";
import { readAuthState } from "../auth/redirect";
import { useSession } from "../auth/useSession";
import { validateEmail } from "../auth/validation";
import { FormAlert, Notice, SubmitButton } from "../components/feedback";
import { PasswordField, TextField } from "../components/fields";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { useForm } from "../lib/useForm";

const REASONS = {
  expired: "Your session has ended. Please sign in again.",
  logout: "You're signed out.",
} as const;

export function LoginPage() {
  useDocumentTitle("Sign in");
  const location = useLocation();
  const { reason } = useSession();
  const { notice } = readAuthState(location);
  const form = useForm({ email: "", password: "" });
  // On success the session starts and GuestOnly moves on to the page the person came from.
  const mutation = useMutation({ mutationFn: login, onError: form.showServerError });

  const info = notice ?? (reason ? REASONS[reason] : null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { email, password } = form.values;
    const emailError = validateEmail(email);
    const errors = {
      ...(emailError ? { email: emailError } : {}),
      ...(password ? {} : { password: "Enter your password." }),
    };
    if (Object.keys(errors).length) return form.showErrors(errors);
    form.clearErrors();
    mutation.mutate({ email: email.trim(), password });
  }

  return (
    <section className="card narrow" aria-labelledby="login-title">
      <h1 id="login-title">Sign in</h1>
      {info && !mutation.isError ? <Notice tone="info">{info}</Notice> : null}
      <form id={form.formId} onSubmit={onSubmit} noValidate data-testid="login-form">
        <TextField
          {...form.field("email")}
          label="Email"
          type="email"
          autoComplete="email"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          required
        />
        <PasswordField
          {...form.field("password")}
          label="Password"
          autoComplete="current-password"
          required
        />
        <p className="form-aside">
          <Link to="/forgot-password" data-testid="forgot-password-link">
            Forgot your password?
          </Link>
        </p>
        <FormAlert problem={form.problem} />
        <SubmitButton pending={mutation.isPending} pendingLabel="Signing in…" testId="login-submit">
          Sign in
        </SubmitButton>
      </form>
      <p className="card-footer">
        New to Digis?{" "}
        <Link to="/signup" state={location.state as unknown} data-testid="signup-link">
          Create an account
        </Link>
      </p>
    </section>
  );
}
