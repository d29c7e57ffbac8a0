import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useSession } from "../auth/useSession";
import { startLiveNotifications } from "../queries/live";

/** Keeps this tab's one notification stream open while someone is signed in. */
export function LiveNotifications() {
  const client = useQueryClient();
  const { user } = useSession();
  const userId = user?.id ?? null;
  useEffect(() => {
    if (userId === null) return;
    return startLiveNotifications(client);
  }, [client, userId]);
  return null;
}
