import { useMutation, useQueryClient } from "@tanstack/react-query";
import { follow, unfollow } from "../api/creators";
import { errorMessage } from "../api/errors";
import type { CreatorProfile } from "../api/types";
import { SignInLink } from "../auth/SignInLink";
import { useSession } from "../auth/useSession";
import { keys } from "../queries/keys";

/**
 * Follow / unfollow with an optimistic update: the button and the follower count change at
 * once, the server's answer then sets the exact count, and an error puts both back.
 */
export function useFollow(handle: string) {
  const client = useQueryClient();
  const key = keys.creator(handle);
  return useMutation({
    mutationFn: (following: boolean) => (following ? follow(handle) : unfollow(handle)),
    onMutate: async (following: boolean) => {
      await client.cancelQueries({ queryKey: key });
      const previous = client.getQueryData<CreatorProfile>(key);
      if (previous && previous.is_following !== following) {
        client.setQueryData<CreatorProfile>(key, {
          ...previous,
          is_following: following,
          follower_count: Math.max(0, previous.follower_count + (following ? 1 : -1)),
        });
      }
      return { previous };
    },
    onError: (_error, _following, context) => {
      if (context?.previous) client.setQueryData(key, context.previous);
    },
    onSuccess: (result) => {
      client.setQueryData<CreatorProfile>(key, (old) =>
        old
          ? { ...old, is_following: result.following, follower_count: result.follower_count }
          : old,
      );
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: keys.following });
      void client.invalidateQueries({ queryKey: keys.feed });
      void client.invalidateQueries({ queryKey: ["creators", "list"] });
    },
  });
}

/** Follow / unfollow; for signed-out visitors a "Sign in to follow" link that comes back. */
export function FollowButton({ creator }: { creator: CreatorProfile }) {
  const { status } = useSession();
  if (status !== "signed-in") {
    return (
      <div className="follow">
        <SignInLink testId="follow-sign-in">Sign in to follow</SignInLink>
      </div>
    );
  }
  return <SignedInFollowButton creator={creator} />;
}

function SignedInFollowButton({ creator }: { creator: CreatorProfile }) {
  const mutation = useFollow(creator.handle);
  const following = creator.is_following;
  return (
    <div className="follow">
      <button
        type="button"
        className={following ? "btn btn-ghost" : "btn btn-primary"}
        aria-pressed={following}
        aria-busy={mutation.isPending || undefined}
        data-testid="follow-button"
        onClick={() => {
          // One change at a time: the optimistic state already shows the click.
          if (!mutation.isPending) mutation.mutate(!following);
        }}
      >
        {following ? "Following" : "Follow"}
      </button>
      {mutation.isError ? (
        <p className="field-error" role="alert" data-testid="follow-error">
          {mutation.variables ? "Couldn't follow" : "Couldn't unfollow"} {creator.display_name}:{" "}
          {errorMessage(mutation.error)}
        </p>
      ) : null}
    </div>
  );
}
