import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { requestPasswordReset } from "../api/accounts";
import { validateEmail } from "../auth/validation";
import { FormAlert, Notice, SubmitButton } from "../components/feedback";
import { TextField } from "../components/fields";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { useForm } from "../lib/useForm";

/** The same words whether or not the email has an account (no account discovery). */
export const RESET_SENT = "If that email has an account, a link is on its way.";

export function ForgotPasswordPage() {
  useDocumentTitle("Reset your password");
  const form = useForm({ email: "" });
  const mutation = useMutation({ mutationFn: requestPasswordReset, onError: form.showServerError });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const emailError = validateEmail(form.values.email);
    if (emailError) return form.showErrors({ email: emailError });
    form.clearErrors();
    mutation.mutate({ email: form.values.email.trim() });
  }

  return (
    <section className="card narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">Reset your password</h1>
      {mutation.isSuccess ? (
        <>
          <Notice testId="reset-requested">
            <p>{RESET_SENT}</p>
            <p>Check your inbox (and spam folder) for an email from Digis, then follow the link.</p>
          </Notice>
          <p className="card-footer">
            <button type="button" className="link-button" onClick={() => mutation.reset()}>
              Use a different email
            </button>
            {" · "}
            <Link to="/login">Back to sign in</Link>
          </p>
        </>
      ) : (
        <>
          <p>
            Enter the email you signed up with and we&apos;ll send you a link to choose a new
            password.
          </p>
          <form id={form.formId} onSubmit={onSubmit} noValidate data-testid="forgot-password-form">
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
            <FormAlert problem={form.problem} />
            <SubmitButton pending={mutation.isPending} pendingLabel="Sending…">
              Send reset link
            </SubmitButton>
          </form>
          <p className="card-footer">
            Remembered it? <Link to="/login">Sign in</Link>
          </p>
        </>
      )}
    </section>
  );
}
