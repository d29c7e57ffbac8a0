import type { ComponentProps } from "react";
import { PASSWORD_MAX, PASSWORD_MIN } from "../auth/validation";
import { PasswordField } from "./fields";

type Bound = Pick<ComponentProps<typeof PasswordField>, "name" | "value" | "error" | "onChange">;

/** A new password and its repetition, as changing or resetting a password asks for them. */
export function NewPasswordFields({ password, repeat }: { password: Bound; repeat: Bound }) {
  return (
    <>
      <PasswordField
        {...password}
        label="New password"
        hint={`${PASSWORD_MIN} to ${PASSWORD_MAX} characters, not your email or handle.`}
        autoComplete="new-password"
        maxLength={PASSWORD_MAX}
        required
      />
      <PasswordField
        {...repeat}
        label="Repeat the new password"
        autoComplete="new-password"
        maxLength={PASSWORD_MAX}
        required
      />
    </>
  );
}
