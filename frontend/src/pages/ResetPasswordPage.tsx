import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { confirmPasswordReset } from "../api/accounts";
import type { AuthRedirectState } from "../auth/redirect";
import { compact, validateNewPassword } from "../auth/validation";
import { NewPasswordFields } from "../components/NewPasswordFields";
import { FormAlert, SubmitButton } from "../components/feedback";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { useForm } from "../lib/useForm";

export const PASSWORD_RESET_DONE = "Your password was changed. Sign in with your new password.";

export function ResetPasswordPage() {
  useDocumentTitle("Choose a new password");
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const navigate = useNavigate();
  const form = useForm({ new_password: "", confirm_password: "" });
  const mutation = useMutation({
    mutationFn: confirmPasswordReset,
    onError: form.showServerError,
    onSuccess: () => {
      const state: AuthRedirectState = { notice: PASSWORD_RESET_DONE };
      void navigate("/login", { replace: true, state });
    },
  });

  if (!token) {
    return (
      <section className="card narrow" aria-labelledby="reset-title">
        <h1 id="reset-title">This link is incomplete</h1>
        <p>
          The reset link is missing its code. Open the link from the email again, or ask for a new
          one.
        </p>
        <Link to="/forgot-password" className="btn btn-primary">
          Get a new link
        </Link>
      </section>
    );
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { new_password, confirm_password } = form.values;
    const errors = compact({
      new_password: validateNewPassword(new_password),
      confirm_password: confirm_password === new_password ? null : "The two passwords don't match.",
    });
    if (Object.keys(errors).length) return form.showErrors(errors);
    form.clearErrors();
    mutation.mutate({ token, new_password });
  }

  return (
    <section className="card narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      <form id={form.formId} onSubmit={onSubmit} noValidate data-testid="reset-password-form">
        <NewPasswordFields
          password={form.field("new_password")}
          repeat={form.field("confirm_password")}
        />
        <FormAlert problem={form.problem}>
          <p>
            <Link to="/forgot-password">Ask for a new link</Link>
          </p>
        </FormAlert>
        <SubmitButton pending={mutation.isPending} pendingLabel="Saving…">
          Change password
        </SubmitButton>
      </form>
      <p className="card-footer">
        Signing out of every device is part of a reset; you&apos;ll sign in again afterwards.
      </p>
    </section>
  );
}
