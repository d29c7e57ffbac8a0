import { useState } from "react";
import { Outlet, ScrollRestoration } from "react-router";
import { retryRestoreSession } from "../api/refresh";
import { useSession } from "../auth/useSession";
import { LoadingScreen, Spinner } from "./feedback";
import { Header } from "./Header";
import { LiveNotifications } from "./LiveNotifications";

/** Shown when the session could not be restored (offline, API down) rather than "no session". */
function RestoreProblem({ message }: { message: string }) {
  const [retrying, setRetrying] = useState(false);
  return (
    <div className="banner" role="alert" data-testid="session-problem">
      <p>{message}</p>
      <button
        type="button"
        className="btn btn-small"
        disabled={retrying}
        onClick={() => {
          setRetrying(true);
          void retryRestoreSession().finally(() => setRetrying(false));
        }}
      >
        {retrying ? <Spinner label="Trying…" /> : "Try again"}
      </button>
    </div>
  );
}

export function Layout() {
  const session = useSession();
  if (session.status === "unknown") return <LoadingScreen />;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      <LiveNotifications />
      {session.problem ? <RestoreProblem message={session.problem} /> : null}
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>© Digis</p>
      </footer>
      <ScrollRestoration />
    </div>
  );
}
