import { Link } from "react-router";
import { useSession } from "../auth/useSession";
import { useDocumentTitle } from "../lib/useDocumentTitle";

export function HomePage() {
  useDocumentTitle();
  const { status, user } = useSession();
  return (
    <section className="hero" data-testid="home">
      <h1>Support the creators you love.</h1>
      <p className="lead">
        Follow creators, see their photos first, and tip them with tokens. Creators share their work
        and get paid by the people who enjoy it.
      </p>
      <div className="actions">
        {status === "signed-in" && user ? (
          <Link to="/dashboard" className="btn btn-primary btn-large">
            Continue as {user.display_name}
          </Link>
        ) : (
          <>
            <Link to="/signup" className="btn btn-primary btn-large">
              Create an account
            </Link>
            <Link to="/login" className="btn btn-ghost btn-large">
              Sign in
            </Link>
          </>
        )}
      </div>
    </section>
  );
}
