import { useMutation } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { logout, logoutEverywhere } from "../api/accounts";

/** "Sign out": ends this browser's session (all its tabs) and goes to the login page. */
export function useSignOut() {
  const navigate = useNavigate();
  return useMutation({
    mutationFn: logout,
    onSuccess: () => {
      void navigate("/login", { replace: true });
    },
  });
}

/** "Sign out everywhere": ends every session of the account, then this one. */
export function useSignOutEverywhere() {
  const navigate = useNavigate();
  return useMutation({
    mutationFn: logoutEverywhere,
    onSuccess: () => {
      void navigate("/login", { replace: true });
    },
  });
}
