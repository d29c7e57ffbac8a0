import { useEffect } from "react";
import { isRouteErrorResponse, Link, useRouteError } from "react-router";
import { reportError } from "../observability";
import { NotFoundPage } from "../pages/NotFoundPage";

/** The router's error boundary: a render error anywhere below shows this instead of a blank page. */
export function RouteError() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  useEffect(() => {
    if (!notFound) reportError(error);
  }, [error, notFound]);
  if (notFound) return <NotFoundPage />;
  return (
    <main id="main" className="main">
      <section className="card narrow" role="alert">
        <h1>Something went wrong</h1>
        <p>This page hit an unexpected problem. Reloading usually fixes it.</p>
        <div className="actions">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => window.location.reload()}
          >
            Reload the page
          </button>
          <Link to="/" className="btn btn-ghost" reloadDocument>
            Go to the home page
          </Link>
        </div>
      </section>
    </main>
  );
}
