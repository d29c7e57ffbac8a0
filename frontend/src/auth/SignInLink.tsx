import type { ReactNode } from "react";
import { Link, useLocation } from "react-router";
import { returnHere } from "./redirect";

/**
 * For signed-out visitors in place of an action that needs an account ("Sign in to
 * follow"): goes to /login, which (and its link on to /signup) brings them back here.
 */
export function SignInLink({
  children,
  className = "btn btn-primary",
  testId,
}: {
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const location = useLocation();
  return (
    <Link to="/login" state={returnHere(location)} className={className} data-testid={testId}>
      {children}
    </Link>
  );
}
