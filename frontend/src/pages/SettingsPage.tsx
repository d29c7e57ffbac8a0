import { useInfiniteQuery, useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { changePassword, updateProfile } from "../api/accounts";
import { listCreatorMedia, thumbnail } from "../api/media";
import type { ProfilePatch, User } from "../api/types";
import { useSession } from "../auth/useSession";
import { useSignOut, useSignOutEverywhere } from "../auth/useSignOut";
import {
  BIO_MAX,
  compact,
  DISPLAY_NAME_MAX,
  validateBio,
  validateDisplayName,
  validateHandle,
  validateNewPassword,
} from "../auth/validation";
import { NewPasswordFields } from "../components/NewPasswordFields";
import { FormAlert, Notice, Spinner, SubmitButton } from "../components/feedback";
import { PasswordField, TextAreaField, TextField } from "../components/fields";
import { errorMessage } from "../api/errors";
import { Avatar } from "../components/Avatar";
import { PictureUpload } from "../components/PictureUpload";
import { LoadMore } from "../components/LoadMore";
import { ErrorState, Loading } from "../components/states";
import { dateTime } from "../lib/format";
import { errorMessages } from "../lib/formErrors";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { useForm } from "../lib/useForm";
import { pagedQuery } from "../queries/hooks";
import { keys } from "../queries/keys";

function ProfileForm({ user }: { user: User }) {
  const initial = { display_name: user.display_name, handle: user.handle, bio: user.bio };
  const form = useForm(initial);
  const [saved, setSaved] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: updateProfile,
    onError: form.showServerError,
    onSuccess: (updated) => {
      form.reset({ display_name: updated.display_name, handle: updated.handle, bio: updated.bio });
      setSaved("Profile saved.");
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(null);
    const { display_name, handle, bio } = form.values;
    const errors = compact({
      display_name: validateDisplayName(display_name),
      handle: validateHandle(handle),
      bio: validateBio(bio),
    });
    if (Object.keys(errors).length) return form.showErrors(errors);
    form.clearErrors();
    const patch: ProfilePatch = {};
    if (display_name.trim() !== user.display_name) patch.display_name = display_name.trim();
    if (handle.trim().toLowerCase() !== user.handle) patch.handle = handle.trim();
    if (bio !== user.bio) patch.bio = bio;
    if (Object.keys(patch).length === 0) {
      setSaved("Nothing to save: your profile is unchanged.");
      return;
    }
    mutation.mutate(patch);
  }

  return (
    <form id={form.formId} onSubmit={onSubmit} noValidate data-testid="profile-form">
      <TextField
        {...form.field("display_name")}
        label="Display name"
        autoComplete="name"
        maxLength={DISPLAY_NAME_MAX}
        required
      />
      <TextField
        {...form.field("handle")}
        label="Handle"
        hint="3 to 30 letters, digits or underscores."
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        maxLength={30}
        required
      />
      <TextAreaField
        {...form.field("bio")}
        label="Bio"
        hint={`Optional. Up to ${BIO_MAX} characters (${form.values.bio.length} used).`}
        rows={4}
        maxLength={BIO_MAX}
      />
      <FormAlert problem={form.problem} />
      {saved ? <Notice testId="profile-saved">{saved}</Notice> : null}
      <SubmitButton pending={mutation.isPending} pendingLabel="Saving…" testId="profile-submit">
        Save profile
      </SubmitButton>
    </form>
  );
}

const NO_AVATAR = "none";

/** Upload a new picture, or (creators) pick one of your own ready photos (or none). */
function AvatarPicker({ user }: { user: User }) {
  const query = useInfiniteQuery({
    ...pagedQuery(
      keys.creatorMedia(user.handle),
      (args) => listCreatorMedia(user.handle, args),
      24,
    ),
    enabled: user.role === "creator",
  });
  const ready = (query.data?.pages.flatMap((page) => page.items) ?? []).filter(
    (media) => media.status === "ready" && thumbnail(media, "320") !== null,
  );
  const [choice, setChoice] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const mutation = useMutation({
    mutationFn: (mediaId: string | null) => updateProfile({ avatar_media_id: mediaId }),
    onSuccess: () => {
      setSaved(true);
      setChoice(null);
    },
  });
  const selected = choice ?? (user.avatar_url ? null : NO_AVATAR);
  const isCurrent = (media: { thumbnails?: Record<string, { url: string }> }) =>
    Object.values(media.thumbnails ?? {}).some((t) => t.url === user.avatar_url);
  const current = ready.find(isCurrent)?.id ?? null;
  const value = selected ?? current;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    if (value === null) return;
    mutation.mutate(value === NO_AVATAR ? null : value);
  }

  return (
    <form onSubmit={onSubmit} data-testid="avatar-picker">
      <div className="avatar-current">
        <Avatar name={user.display_name} url={user.avatar_url} size={64} />
        <p className="muted">
          {user.avatar_url ? "Your current picture." : "No picture yet: people see your initials."}
        </p>
      </div>
      <PictureUpload />
      {user.role !== "creator" ? (
        <p className="muted">People see your picture next to your name and @handle.</p>
      ) : query.isPending ? (
        <Loading label="Loading your photos…" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : ready.length === 0 ? (
        <p className="muted">
          Or pick your picture from your photos. <Link to="/upload">Post some first</Link>.
        </p>
      ) : null}
      {user.role !== "creator" || query.isSuccess ? (
        <fieldset className="field">
          <legend className="field-label">Choose your picture</legend>
          <div className="avatar-options">
            <label className="avatar-option" data-testid={`avatar-option-${NO_AVATAR}`}>
              <input
                type="radio"
                name="avatar"
                value={NO_AVATAR}
                checked={value === NO_AVATAR}
                onChange={() => setChoice(NO_AVATAR)}
              />
              <span className="avatar-option-none" aria-hidden="true">
                <Avatar name={user.display_name} url={null} size={56} />
              </span>
              <span className="visually-hidden">No picture (initials)</span>
            </label>
            {ready.map((media) => {
              const thumb = thumbnail(media, "320")!;
              return (
                <label
                  key={media.id}
                  className="avatar-option"
                  data-testid={`avatar-option-${media.id}`}
                >
                  <input
                    type="radio"
                    name="avatar"
                    value={media.id}
                    checked={value === media.id}
                    onChange={() => setChoice(media.id)}
                  />
                  <img
                    src={thumb.url}
                    alt={`Your upload of ${dateTime(media.created_at)}`}
                    width={56}
                    height={56}
                    loading="lazy"
                  />
                </label>
              );
            })}
          </div>
          <LoadMore query={query} label="Show more photos" />
        </fieldset>
      ) : null}
      {mutation.isError ? (
        <div className="alert alert-error" role="alert" data-testid="avatar-error">
          {errorMessages(mutation.error, ["avatar_media_id"]).map((text) => (
            <p key={text}>{text}</p>
          ))}
        </div>
      ) : null}
      {saved ? <Notice testId="avatar-saved">Picture saved.</Notice> : null}
      <button
        type="submit"
        className="btn btn-primary"
        disabled={mutation.isPending || choice === null}
        aria-busy={mutation.isPending || undefined}
        data-testid="avatar-save"
      >
        {mutation.isPending ? <Spinner label="Saving…" /> : "Save picture"}
      </button>
    </form>
  );
}

function PasswordForm({ user }: { user: User }) {
  const form = useForm({ current_password: "", new_password: "", confirm_password: "" });
  const [saved, setSaved] = useState(false);
  const mutation = useMutation({
    mutationFn: changePassword,
    onError: form.showServerError,
    onSuccess: () => {
      form.reset();
      setSaved(true);
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const { current_password, new_password, confirm_password } = form.values;
    const errors = compact({
      current_password: current_password ? null : "Enter your current password.",
      new_password:
        validateNewPassword(new_password, { email: user.email, handle: user.handle }) ??
        (new_password === current_password ? "Choose a password you haven't been using." : null),
      confirm_password: confirm_password === new_password ? null : "The two passwords don't match.",
    });
    if (Object.keys(errors).length) return form.showErrors(errors);
    form.clearErrors();
    mutation.mutate({ current_password, new_password });
  }

  return (
    <form id={form.formId} onSubmit={onSubmit} noValidate data-testid="password-form">
      {/* Lets password managers pair the new password with the account. */}
      <input type="hidden" name="username" autoComplete="username" value={user.email} />
      <PasswordField
        {...form.field("current_password")}
        label="Current password"
        autoComplete="current-password"
        required
      />
      <NewPasswordFields
        password={form.field("new_password")}
        repeat={form.field("confirm_password")}
      />
      <FormAlert problem={form.problem} />
      {saved ? (
        <Notice testId="password-saved">
          Password changed. Your other devices have been signed out.
        </Notice>
      ) : null}
      <SubmitButton pending={mutation.isPending} pendingLabel="Changing…" testId="password-submit">
        Change password
      </SubmitButton>
    </form>
  );
}

function Sessions() {
  const signOut = useSignOut();
  const everywhere = useSignOutEverywhere();
  const busy = signOut.isPending || everywhere.isPending;
  const failure = signOut.error ?? everywhere.error;
  return (
    <>
      <p>
        Signing out here ends your session in this browser. Signing out everywhere also ends it on
        every other phone, tablet and computer.
      </p>
      {failure ? (
        <div className="alert alert-error" role="alert">
          <p>Couldn&apos;t sign out: {errorMessage(failure)}</p>
        </div>
      ) : null}
      <div className="actions">
        <button
          type="button"
          className="btn btn-ghost"
          disabled={busy}
          onClick={() => signOut.mutate()}
          data-testid="settings-logout-button"
        >
          {signOut.isPending ? <Spinner label="Signing out…" /> : "Sign out"}
        </button>
        <button
          type="button"
          className="btn btn-danger"
          disabled={busy}
          onClick={() => everywhere.mutate()}
          data-testid="logout-all-button"
        >
          {everywhere.isPending ? (
            <Spinner label="Signing out everywhere…" />
          ) : (
            "Sign out everywhere"
          )}
        </button>
      </div>
    </>
  );
}

export function SettingsPage() {
  useDocumentTitle("Settings");
  const { user } = useSession();
  if (!user) return null; // RequireAuth renders this page only when signed in.
  return (
    <div className="page" data-testid="settings">
      <header className="page-header">
        <h1>Settings</h1>
        <p className="muted">Signed in as {user.email}</p>
      </header>
      <section className="card" aria-labelledby="profile-title">
        <h2 id="profile-title">Profile</h2>
        {/* Re-mount on another user (another tab signed in someone else). */}
        <ProfileForm key={user.id} user={user} />
      </section>
      <section className="card" aria-labelledby="avatar-title">
        <h2 id="avatar-title">Picture</h2>
        <AvatarPicker key={user.id} user={user} />
      </section>
      <section className="card" aria-labelledby="password-title">
        <h2 id="password-title">Password</h2>
        <PasswordForm key={user.id} user={user} />
      </section>
      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        <Sessions />
      </section>
    </div>
  );
}
