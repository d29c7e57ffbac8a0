import { Navigate, Outlet, useLocation } from "react-router";
import type { AuthRedirectState } from "./redirect";
import { useSession } from "./useSession";

/** Renders its child routes only when signed in; otherwise sends the person to /login. */
export function RequireAuth() {
  const { status, reason } = useSession();
  const location = useLocation();
  if (status === "signed-in") return <Outlet />;
  // After "Sign out" start afresh; after an expired session come back here once signed in.
  const state: AuthRedirectState =
    reason === "logout" ? {} : { from: location.pathname + location.search + location.hash };
  return <Navigate to="/login" replace state={state} />;
}
