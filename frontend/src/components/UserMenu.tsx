import { useEffect, useId, useRef, useState } from "react";
import { Link, useLocation } from "react-router";
import type { User } from "../api/types";
import { useSignOut } from "../auth/useSignOut";
import { Avatar } from "./Avatar";
import { Spinner } from "./feedback";

/**
 * The signed-in person's menu (a disclosure, not an ARIA menu: plain Tab order works).
 * Closes on Escape (focus returns to the button), on a click outside, and on navigation.
 */
export function UserMenu({ user }: { user: User }) {
  const location = useLocation();
  const menuId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  // Open for one location only: navigating anywhere closes it without an effect.
  const [openAt, setOpenAt] = useState<string | null>(null);
  const open = openAt === location.key;
  const signOut = useSignOut();

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpenAt(null);
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      setOpenAt(null);
      buttonRef.current?.focus();
    };
    // Tabbing out of the menu closes it too.
    const onFocusIn = (event: FocusEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpenAt(null);
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    document.addEventListener("focusin", onFocusIn);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
      document.removeEventListener("focusin", onFocusIn);
    };
  }, [open]);

  return (
    <div className="user-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="user-menu-button"
        aria-expanded={open}
        aria-controls={menuId}
        data-testid="user-menu-button"
        onClick={() => setOpenAt(open ? null : location.key)}
      >
        <Avatar name={user.display_name} url={user.avatar_url} />
        <span className="user-menu-name" data-testid="user-display-name">
          {user.display_name}
        </span>
        <span className="visually-hidden">: account menu</span>
        <span className="chevron" aria-hidden="true" />
      </button>
      <div id={menuId} className="user-menu-panel" hidden={!open}>
        <p className="user-menu-who">
          <strong>{user.display_name}</strong>
          <span className="muted">@{user.handle}</span>
        </p>
        <ul className="user-menu-items">
          <li>
            <Link to="/settings" data-testid="settings-link">
              Settings
            </Link>
          </li>
          <li>
            <button
              type="button"
              data-testid="logout-button"
              disabled={signOut.isPending}
              onClick={() => signOut.mutate()}
            >
              {signOut.isPending ? <Spinner label="Signing out…" /> : "Sign out"}
            </button>
          </li>
        </ul>
        {signOut.isError ? (
          <p className="field-error" role="alert">
            Couldn&apos;t sign out: {signOut.error.message}
          </p>
        ) : null}
      </div>
    </div>
  );
}
