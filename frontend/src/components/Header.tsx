import { Link, NavLink, useLocation } from "react-router";
import { returnHere } from "../auth/redirect";
import { useSession } from "../auth/useSession";
import { useUnreadCount, useWallet } from "../queries/hooks";
import { UserMenu } from "./UserMenu";

const NAV = [
  { to: "/dashboard", label: "Dashboard", id: "dashboard" },
  { to: "/creators", label: "Creators", id: "creators" },
  { to: "/wallet", label: "Wallet", id: "wallet" },
  { to: "/notifications", label: "Notifications", id: "notifications" },
] as const;

/** The unread count on the Notifications link; absent when there is nothing unread. */
function UnreadBadge() {
  const { data } = useUnreadCount();
  const count = data?.count ?? 0;
  if (count <= 0) return null;
  const shown = count > 99 ? "99+" : String(count);
  return (
    <>
      <span className="badge" aria-hidden="true" data-testid="notification-badge">
        {shown}
      </span>
      <span className="visually-hidden"> ({shown} unread)</span>
    </>
  );
}

/** The token balance, linking to the wallet. */
function HeaderBalance() {
  const { data } = useWallet();
  if (!data) return null;
  return (
    <Link
      to="/wallet"
      className={data.balance < 0 ? "balance-chip balance-negative" : "balance-chip"}
      title="Your token balance"
    >
      <span className="visually-hidden">Balance: </span>
      <span data-testid="header-balance">{data.balance}</span>
      <span className="balance-unit">{Math.abs(data.balance) === 1 ? "token" : "tokens"}</span>
    </Link>
  );
}

export function Header() {
  const { status, user } = useSession();
  const location = useLocation();
  // From a public page, signing in (or up) comes back to it; from /login it stays put;
  // from the home page it goes on to the dashboard, as before.
  const guestPage = location.pathname === "/login" || location.pathname === "/signup";
  const back = guestPage
    ? (location.state as unknown)
    : location.pathname === "/"
      ? undefined
      : returnHere(location);
  const signedIn = status === "signed-in" && user !== null;
  const nav =
    user?.role === "creator"
      ? [...NAV, { to: "/upload", label: "Upload", id: "upload" } as const]
      : NAV;
  return (
    <header className="site-header">
      <div className="header-inner">
        <Link to={signedIn ? "/dashboard" : "/"} className="logo" data-testid="home-link">
          Digis<span className="visually-hidden"> home</span>
        </Link>
        {signedIn ? (
          <>
            <nav className="main-nav" aria-label="Main">
              <ul>
                {nav.map(({ to, label, id }) => (
                  <li key={to}>
                    <NavLink to={to} data-testid={`nav-${id}`}>
                      {label}
                      {id === "notifications" ? <UnreadBadge /> : null}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
            <div className="header-account">
              <HeaderBalance />
              <UserMenu user={user} />
            </div>
          </>
        ) : (
          <>
            <nav className="main-nav" aria-label="Main">
              <ul>
                <li>
                  <NavLink to="/creators" data-testid="nav-creators">
                    Creators
                  </NavLink>
                </li>
              </ul>
            </nav>
            <div className="header-actions">
              <Link to="/login" state={back} className="btn btn-ghost" data-testid="login-button">
                Sign in
              </Link>
              <Link
                to="/signup"
                state={back}
                className="btn btn-primary"
                data-testid="signup-button"
              >
                Sign up
              </Link>
            </div>
          </>
        )}
      </div>
    </header>
  );
}
