import { Navigate, Outlet, useLocation } from "react-router";
import { readAuthState, safeRedirect } from "./redirect";
import { useSession } from "./useSession";

/**
 * Pages for signed-out people (login, signup). Once signed in, here or in another tab, go on
 * to the page the person was sent away from, or the dashboard.
 */
export function GuestOnly() {
  const { status } = useSession();
  const location = useLocation();
  if (status === "signed-in") {
    return <Navigate to={safeRedirect(readAuthState(location).from)} replace />;
  }
  return <Outlet />;
}
