/** Client-side checks that mirror the API's, so most mistakes are caught before a round trip. */

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;
export const HANDLE_PATTERN = /^[A-Za-z0-9_]{3,30}$/;
export const DISPLAY_NAME_MAX = 60;
export const BIO_MAX = 2000;
export const EMAIL_MAX = 254;

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateEmail(email: string): string | null {
  const value = email.trim();
  if (!value) return "Enter your email address.";
  if (value.length > EMAIL_MAX || !EMAIL_PATTERN.test(value)) {
    return "Enter a valid email address, like name@example.com.";
  }
  return null;
}

export function validateHandle(handle: string): string | null {
  const value = handle.trim();
  if (!value) return "Choose a handle.";
  if (!HANDLE_PATTERN.test(value)) return "Use 3 to 30 letters, digits or underscores (_).";
  return null;
}

export function validateDisplayName(name: string): string | null {
  const value = name.trim();
  if (!value) return "Enter the name people will see.";
  if (value.length > DISPLAY_NAME_MAX) return `Use at most ${DISPLAY_NAME_MAX} characters.`;
  return null;
}

export function validateBio(bio: string): string | null {
  return bio.length > BIO_MAX ? `Use at most ${BIO_MAX} characters.` : null;
}

/** A new password: 10–128 characters and not the email or handle (compared case-insensitively). */
export function validateNewPassword(
  password: string,
  { email, handle }: { email?: string; handle?: string } = {},
): string | null {
  if (!password) return "Choose a password.";
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX) {
    return `Use ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`;
  }
  const lowered = password.toLowerCase();
  const same = (other?: string) => !!other && lowered === other.trim().toLowerCase();
  if (same(email) || same(handle)) return "Your password can't be your email or handle.";
  return null;
}

/** Keep only the fields that have a message. */
export function compact<F extends string>(
  errors: Record<F, string | null>,
): Partial<Record<F, string>> {
  const out: Partial<Record<F, string>> = {};
  for (const key of Object.keys(errors) as F[]) {
    const message = errors[key];
    if (message) out[key] = message;
  }
  return out;
}
