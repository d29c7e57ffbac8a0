import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Link, useLocation } from "react-router";
import { signup } from "../api/accounts";
import {
  compact,
  DISPLAY_NAME_MAX,
  EMAIL_MAX,
  PASSWORD_MAX,
  PASSWORD_MIN,
  validateDisplayName,
  validateEmail,
  validateHandle,
  validateNewPassword,
} from "../auth/validation";
import { FormAlert, SubmitButton } from "../components/feedback";
import { PasswordField, TextField } from "../components/fields";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { useForm } from "../lib/useForm";

const ROLES = [
  { value: "fan", title: "a fan", description: "Follow and support creators." },
  { value: "creator", title: "a creator", description: "Share photos and receive tips." },
] as const;

export function SignupPage() {
  useDocumentTitle("Create your account");
  const location = useLocation();
  const form = useForm({ email: "", password: "", display_name: "", handle: "", role: "fan" });
  // On success the session starts and GuestOnly moves on to the dashboard.
  const mutation = useMutation({ mutationFn: signup, onError: form.showServerError });
  const roleField = form.field("role");

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const { email, password, display_name, handle, role } = form.values;
    const errors = compact({
      email: validateEmail(email),
      password: validateNewPassword(password, { email, handle }),
      display_name: validateDisplayName(display_name),
      handle: validateHandle(handle),
      role: role === "fan" || role === "creator" ? null : "Choose fan or creator.",
    });
    if (Object.keys(errors).length) return form.showErrors(errors);
    form.clearErrors();
    mutation.mutate({
      email: email.trim(),
      password,
      display_name: display_name.trim(),
      handle: handle.trim(),
      role: role === "creator" ? "creator" : "fan",
    });
  }

  return (
    <section className="card narrow" aria-labelledby="signup-title">
      <h1 id="signup-title">Create your account</h1>
      <form id={form.formId} onSubmit={onSubmit} noValidate data-testid="signup-form">
        <TextField
          {...form.field("email")}
          label="Email"
          type="email"
          autoComplete="email"
          inputMode="email"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={EMAIL_MAX}
          required
        />
        <PasswordField
          {...form.field("password")}
          label="Password"
          hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters. A few unrelated words make a strong one.`}
          autoComplete="new-password"
          maxLength={PASSWORD_MAX}
          required
        />
        <TextField
          {...form.field("display_name")}
          label="Display name"
          hint="The name people see on Digis."
          autoComplete="name"
          maxLength={DISPLAY_NAME_MAX}
          required
        />
        <TextField
          {...form.field("handle")}
          label="Handle"
          hint="3 to 30 letters, digits or underscores; your @name."
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={30}
          required
        />
        <fieldset
          className="field choice-group"
          aria-describedby={form.errors.role ? "role-error" : undefined}
        >
          <legend className="field-label">I am…</legend>
          <div className="choices">
            {ROLES.map(({ value, title, description }) => (
              <label className="choice" key={value}>
                <input
                  type="radio"
                  name="role"
                  value={value}
                  checked={roleField.value === value}
                  onChange={roleField.onChange}
                  data-testid={`role-${value}`}
                />
                <span>
                  <strong>{title}</strong>
                  <span className="muted">{description}</span>
                </span>
              </label>
            ))}
          </div>
          {form.errors.role ? (
            <p className="field-error" id="role-error" data-testid="field-error-role">
              {form.errors.role}
            </p>
          ) : null}
        </fieldset>
        <FormAlert problem={form.problem} />
        <SubmitButton
          pending={mutation.isPending}
          pendingLabel="Creating your account…"
          testId="signup-submit"
        >
          Create account
        </SubmitButton>
      </form>
      <p className="card-footer">
        Already have an account?{" "}
        <Link to="/login" state={location.state as unknown} data-testid="login-link">
          Sign in
        </Link>
      </p>
    </section>
  );
}
