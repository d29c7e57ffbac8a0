import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Link } from "react-router";
import { ApiError, errorMessage } from "../../api/errors";
import { unlockPost, type Post, type UnlockResult } from "../../api/posts";
import type { Wallet } from "../../api/types";
import { idempotencyKey } from "../../api/wallet";
import { tokens } from "../../lib/format";
import { useWallet } from "../../queries/hooks";
import { keys } from "../../queries/keys";
import { postKeys, replaceCachedPost } from "../../queries/posts";
import { Dialog } from "../Dialog";
import { Spinner } from "../feedback";

function detail(error: unknown, code: string, name: string): number | null {
  if (!(error instanceof ApiError) || error.code !== code) return null;
  const details = error.details as Record<string, unknown> | null;
  const value = details?.[name];
  return typeof value === "number" ? value : null;
}

/** An answer that settles the attempt: sending the same key again could only replay it. */
function isDefinitive(error: unknown): boolean {
  return (
    error instanceof ApiError && error.status < 500 && error.code !== "idempotency_key_in_flight"
  );
}

function photos(n: number): string {
  return `${n} ${n === 1 ? "photo" : "photos"}`;
}

/**
 * Confirm the price and the balance, then pay. One Idempotency-Key per (post, price): a retry
 * after a lost answer replays the unlock instead of paying twice; a new price is a new attempt.
 */
export function UnlockDialog({
  post,
  onClose,
  onUnlocked,
}: {
  post: Post;
  onClose: () => void;
  onUnlocked: (result: UnlockResult) => void;
}) {
  const client = useQueryClient();
  const wallet = useWallet();
  // The price the fan is agreeing to: the post's, or the new one a 409 told us.
  const [price, setPrice] = useState(post.price);
  const [changedFrom, setChangedFrom] = useState<number | null>(null);
  const attempt = useRef<{ price: number; key: string } | null>(null);
  const keyFor = (amount: number) => {
    if (attempt.current?.price !== amount)
      attempt.current = { price: amount, key: idempotencyKey() };
    return attempt.current.key;
  };

  const mutation = useMutation({
    mutationFn: (amount: number) => unlockPost(post.id, amount, keyFor(amount)),
    onSuccess: (result) => {
      attempt.current = null;
      replaceCachedPost(client, result.post);
      client.setQueryData<Wallet>(keys.wallet, { balance: result.balance });
      void client.invalidateQueries({ queryKey: keys.walletEntries });
      onUnlocked(result);
    },
    onError: (error, amount) => {
      if (isDefinitive(error)) attempt.current = null;
      const current = detail(error, "price_changed", "price");
      if (current !== null) {
        setChangedFrom(amount);
        setPrice(current);
        // Every list showing the post should show its new price too.
        void client.invalidateQueries({ queryKey: postKeys.all });
      }
      const left = detail(error, "insufficient_balance", "balance");
      if (left !== null) client.setQueryData<Wallet>(keys.wallet, { balance: left });
    },
  });

  const balance = wallet.data?.balance ?? null;
  const error = mutation.isError ? mutation.error : null;
  const priceChanged = detail(error, "price_changed", "price") !== null;
  const required = detail(error, "insufficient_balance", "required");
  const tooLittle =
    (balance !== null && balance < price) ||
    (error instanceof ApiError && error.code === "insufficient_balance");

  return (
    <Dialog title="Unlock this post" onClose={onClose} testId="unlock-dialog">
      <p>
        Unlock {photos(post.photo_count)} by {post.author.display_name} for{" "}
        <strong data-testid="unlock-price">{tokens(price)}</strong>. You keep access to it.
      </p>
      <p className="muted" data-testid="unlock-balance">
        {wallet.isPending ? (
          <Spinner label="Checking your balance…" />
        ) : balance !== null ? (
          `You have ${tokens(balance)}.`
        ) : null}
      </p>
      {priceChanged && changedFrom !== null ? (
        <div className="alert alert-info" role="alert" data-testid="unlock-price-changed">
          <p>
            The price changed from {tokens(changedFrom)} to {tokens(price)} while you were looking.
            Unlock it for {tokens(price)}?
          </p>
        </div>
      ) : null}
      {tooLittle ? (
        <div className="alert alert-error" role="alert" data-testid="unlock-insufficient">
          <p>
            You have {tokens(balance ?? 0)}; this post needs {tokens(required ?? price)}.{" "}
            <Link to="/wallet">Buy tokens in your wallet</Link>.
          </p>
        </div>
      ) : error && !priceChanged ? (
        <div className="alert alert-error" role="alert" data-testid="unlock-error">
          <p>{errorMessage(error)}</p>
        </div>
      ) : null}
      <div className="actions">
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => mutation.mutate(price)}
          disabled={mutation.isPending || tooLittle || price < 1}
          aria-busy={mutation.isPending || undefined}
          data-testid="unlock-confirm"
          data-autofocus
        >
          {mutation.isPending ? <Spinner label="Unlocking…" /> : `Unlock for ${tokens(price)}`}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
