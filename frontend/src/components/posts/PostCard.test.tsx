import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider, useLocation } from "react-router";
import { describe, expect, it } from "vitest";
import type { Post } from "../../api/posts";
import { endSession, startSession } from "../../api/session";
import { createQueryClient } from "../../queryClient";
import { keys } from "../../queries/keys";
import { postKeys, useCreatorPosts } from "../../queries/posts";
import { apiError, deferred, json, makeSession, makeUser, mockApi } from "../../test/api";
import type { Handler } from "../../test/api";
import { page } from "../../test/data";
import { CREATOR_ID, makeLockedPost, makePhoto, makePost } from "../../test/posts";
import { PostCard } from "./PostCard";

const fan = makeUser({ id: "f0000000-0000-4000-8000-000000000009", handle: "fan" });
const author = makeUser({ id: CREATOR_ID, handle: "grace", role: "creator" });

/** The posts of grace, read from the cache as the creator page does. */
function Posts() {
  const query = useCreatorPosts("grace");
  const posts = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      {posts.map((post) => (
        <PostCard key={post.id} post={post} />
      ))}
    </>
  );
}

function LoginProbe() {
  const location = useLocation();
  return <p data-testid="login-state">{JSON.stringify(location.state)}</p>;
}

function renderPosts(posts: Post[], routes: Record<string, Handler> = {}) {
  const server = mockApi({
    "GET /api/creators/grace/posts": () => json(200, page(posts)),
    ...routes,
  });
  const router = createMemoryRouter(
    [
      { path: "/creators/:handle", element: <Posts /> },
      { path: "/login", element: <LoginProbe /> },
      { path: "/wallet", element: <p>Wallet</p> },
    ],
    { initialEntries: ["/creators/grace?tab=posts"] },
  );
  const queryClient = createQueryClient();
  const user = userEvent.setup();
  render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { server, router, queryClient, user };
}

describe("a post", () => {
  it("shows its photos in order and its caption with the line breaks", async () => {
    startSession(makeSession("t1", fan));
    renderPosts([
      makePost({ photos: [makePhoto(1), makePhoto(2), makePhoto(3)], caption: "One\nTwo\n\nFour" }),
    ]);
    const photos = await screen.findAllByTestId("post-photo");
    expect(photos.map((img) => img.getAttribute("src"))).toEqual([
      `/media/${makePhoto(1).media_id}-960.webp`,
      `/media/${makePhoto(2).media_id}-960.webp`,
      `/media/${makePhoto(3).media_id}-960.webp`,
    ]);
    expect(photos[0]).toHaveAccessibleName("Grace Hopper's post, 1 of 3");
    const caption = screen.getByTestId("post-caption");
    expect(caption.querySelectorAll("br")).toHaveLength(3);
    expect(caption.innerHTML).not.toContain("\n");
    expect(caption).toHaveTextContent("OneTwoFour");
    expect(screen.queryByTestId("post-edit")).not.toBeInTheDocument();
  });

  it("likes at once, then takes the server's count; unliking sends DELETE", async () => {
    startSession(makeSession("t1", fan));
    const answer = deferred<Response>();
    const { server, user } = renderPosts([makePost({ like_count: 3 })], {
      "PUT /api/posts/p0000000-0000-4000-8000-000000000001/like": () => answer.promise,
      "DELETE /api/posts/p0000000-0000-4000-8000-000000000001/like": () =>
        json(200, { post_id: "p1", liked: false, like_count: 9 }),
    });
    const button = await screen.findByTestId("like-button");
    expect(button).toHaveAttribute("aria-pressed", "false");
    await user.click(button);
    expect(button).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByTestId("like-count")).toHaveTextContent("4 likes");

    answer.resolve(json(200, { post_id: "p1", liked: true, like_count: 10 }));
    await waitFor(() => expect(screen.getByTestId("like-count")).toHaveTextContent("10 likes"));

    await user.click(button);
    expect(button).toHaveAttribute("aria-pressed", "false");
    await waitFor(() => expect(screen.getByTestId("like-count")).toHaveTextContent("9 likes"));
    expect(server.to("PUT", "/api/posts/p0000000-0000-4000-8000-000000000001/like")).toHaveLength(
      1,
    );
    expect(
      server.to("DELETE", "/api/posts/p0000000-0000-4000-8000-000000000001/like"),
    ).toHaveLength(1);
  });

  it("rolls a like back when the server refuses", async () => {
    startSession(makeSession("t1", fan));
    const { user } = renderPosts([makePost({ like_count: 3 })], {
      "PUT /api/posts/p0000000-0000-4000-8000-000000000001/like": () =>
        apiError(429, "rate_limited", "Too many likes."),
    });
    await user.click(await screen.findByTestId("like-button"));
    expect(await screen.findByTestId("like-error")).toHaveTextContent("Too many likes.");
    expect(screen.getByTestId("like-button")).toHaveAttribute("aria-pressed", "false");
    expect(screen.getByTestId("like-count")).toHaveTextContent("3 likes");
  });

  it("shows a locked post as a blurred preview with its photo count and no photos", async () => {
    startSession(makeSession("t1", fan));
    renderPosts([makeLockedPost()]);
    const card = await screen.findByTestId("post-p0000000-0000-4000-8000-000000000001");
    expect(card).toHaveAttribute("data-locked", "true");
    expect(within(card).getByTestId("post-preview")).toHaveAttribute(
      "src",
      "/media/preview-blur.webp",
    );
    expect(within(card).getByTestId("post-photo-count")).toHaveTextContent("3 photos");
    expect(within(card).queryByTestId("post-photo")).not.toBeInTheDocument();
    expect(within(card).getByTestId("post-caption")).toHaveTextContent("First line");
    expect(within(card).getByTestId("unlock-button")).toHaveTextContent("Unlock for 20 tokens");
  });

  it("unlocks after confirming the price and balance; the photos and new balance show", async () => {
    startSession(makeSession("t1", fan));
    const unlocked = makePost({
      price: 20,
      photo_count: 2,
      photos: [makePhoto(1), makePhoto(2)],
      unlocked_by_me: true,
    });
    const { server, user, queryClient } = renderPosts([makeLockedPost({ photo_count: 2 })], {
      "GET /api/wallet": () => json(200, { balance: 50 }),
      "POST /api/posts/p0000000-0000-4000-8000-000000000001/unlock": () =>
        json(201, { post: unlocked, balance: 30, price: 20 }),
    });
    await user.click(await screen.findByTestId("unlock-button"));
    const dialog = screen.getByRole("dialog", { name: "Unlock this post" });
    expect(within(dialog).getByTestId("unlock-price")).toHaveTextContent("20 tokens");
    expect(await within(dialog).findByText("You have 50 tokens.")).toBeVisible();
    expect(screen.getByTestId("unlock-confirm")).toHaveFocus();
    await user.click(screen.getByTestId("unlock-confirm"));

    await waitFor(() => expect(screen.getAllByTestId("post-photo")).toHaveLength(2));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByTestId("unlock-success")).toHaveTextContent(
      "Unlocked. Your balance is now 30 tokens.",
    );
    expect(screen.getByTestId("post-photos")).toHaveFocus();
    expect(queryClient.getQueryData(keys.wallet)).toEqual({ balance: 30 });
    const [request] = server.to("POST", "/api/posts/p0000000-0000-4000-8000-000000000001/unlock");
    expect(request.body).toEqual({ price: 20 });
    expect(request.headers.get("Idempotency-Key")).toMatch(/^[0-9a-f-]{36}$/);
    expect(screen.getByTestId("post-price-badge")).toHaveTextContent("Unlocked");
  });

  it("on price_changed shows the new price and unlocks only when confirmed again", async () => {
    startSession(makeSession("t1", fan));
    let calls = 0;
    const { server, user } = renderPosts([makeLockedPost()], {
      "GET /api/wallet": () => json(200, { balance: 100 }),
      "POST /api/posts/p0000000-0000-4000-8000-000000000001/unlock": () => {
        calls += 1;
        return calls === 1
          ? apiError(409, "price_changed", "The price has changed.", { price: 35 })
          : json(201, {
              post: makePost({ price: 35, photos: [makePhoto(1)], unlocked_by_me: true }),
              balance: 65,
              price: 35,
            });
      },
    });
    await user.click(await screen.findByTestId("unlock-button"));
    await user.click(screen.getByTestId("unlock-confirm"));
    expect(await screen.findByTestId("unlock-price-changed")).toHaveTextContent(
      "The price changed from 20 tokens to 35 tokens",
    );
    expect(screen.getByTestId("unlock-price")).toHaveTextContent("35 tokens");
    expect(screen.getByTestId("unlock-confirm")).toHaveTextContent("Unlock for 35 tokens");
    expect(calls).toBe(1);

    await user.click(screen.getByTestId("unlock-confirm"));
    await waitFor(() => expect(screen.getAllByTestId("post-photo")).toHaveLength(1));
    const requests = server.to("POST", "/api/posts/p0000000-0000-4000-8000-000000000001/unlock");
    expect(requests.map((r) => r.body)).toEqual([{ price: 20 }, { price: 35 }]);
    // A new price is a new attempt, with a key of its own.
    expect(requests[0].headers.get("Idempotency-Key")).not.toBe(
      requests[1].headers.get("Idempotency-Key"),
    );
  });

  it("retries a lost unlock answer with the same idempotency key", async () => {
    startSession(makeSession("t1", fan));
    let calls = 0;
    const { server, user } = renderPosts([makeLockedPost()], {
      "GET /api/wallet": () => json(200, { balance: 100 }),
      "POST /api/posts/p0000000-0000-4000-8000-000000000001/unlock": () => {
        calls += 1;
        return calls === 1
          ? apiError(503, "unavailable", "Try again.")
          : json(200, { post: makePost({ price: 20 }), balance: 80, price: 20 });
      },
    });
    await user.click(await screen.findByTestId("unlock-button"));
    await user.click(screen.getByTestId("unlock-confirm"));
    expect(await screen.findByTestId("unlock-error")).toHaveTextContent("Try again.");
    await user.click(screen.getByTestId("unlock-confirm"));
    await waitFor(() => expect(screen.getAllByTestId("post-photo")).toHaveLength(1));
    const keysSent = server
      .to("POST", "/api/posts/p0000000-0000-4000-8000-000000000001/unlock")
      .map((r) => r.headers.get("Idempotency-Key"));
    expect(keysSent).toHaveLength(2);
    expect(keysSent[0]).toBe(keysSent[1]);
  });

  it("explains an insufficient balance and links to the wallet", async () => {
    startSession(makeSession("t1", fan));
    const { user } = renderPosts([makeLockedPost()], {
      "GET /api/wallet": () => json(200, { balance: 25 }),
      "POST /api/posts/p0000000-0000-4000-8000-000000000001/unlock": () =>
        apiError(409, "insufficient_balance", "Not enough tokens.", { balance: 5, required: 20 }),
    });
    await user.click(await screen.findByTestId("unlock-button"));
    await screen.findByText("You have 25 tokens.");
    await user.click(screen.getByTestId("unlock-confirm"));
    const alert = await screen.findByTestId("unlock-insufficient");
    expect(alert).toHaveTextContent("You have 5 tokens; this post needs 20 tokens.");
    expect(within(alert).getByRole("link", { name: "Buy tokens in your wallet" })).toHaveAttribute(
      "href",
      "/wallet",
    );
    expect(screen.getByTestId("unlock-confirm")).toBeDisabled();
  });

  it("does not offer to pay when the balance is known to be too low", async () => {
    startSession(makeSession("t1", fan));
    const { server, user } = renderPosts([makeLockedPost()], {
      "GET /api/wallet": () => json(200, { balance: 4 }),
    });
    await user.click(await screen.findByTestId("unlock-button"));
    expect(await screen.findByTestId("unlock-insufficient")).toHaveTextContent(
      "You have 4 tokens; this post needs 20 tokens.",
    );
    expect(screen.getByTestId("unlock-confirm")).toBeDisabled();
    expect(server.to("POST", "/api/posts/p0000000-0000-4000-8000-000000000001/unlock")).toEqual([]);
  });

  it("signed out, like and unlock are links to sign in that come back here", async () => {
    endSession(null);
    const { router, user } = renderPosts([
      makeLockedPost({ id: "p0000000-0000-4000-8000-000000000002" }),
      makePost(),
    ]);
    const like = (await screen.findAllByTestId("sign-in-to-like"))[0];
    expect(like).toHaveTextContent("Sign in to like");
    expect(like).toHaveAttribute("href", "/login");
    expect(screen.queryByTestId("like-button")).not.toBeInTheDocument();
    expect(screen.queryByTestId("unlock-button")).not.toBeInTheDocument();
    const unlock = screen.getByTestId("sign-in-to-unlock");
    expect(unlock).toHaveTextContent("Sign in to unlock");

    await user.click(unlock);
    expect(router.state.location.pathname).toBe("/login");
    expect(screen.getByTestId("login-state")).toHaveTextContent(
      JSON.stringify({ from: "/creators/grace?tab=posts" }),
    );
  });

  it("lets the author edit the caption and price, and delete after a warning", async () => {
    startSession(makeSession("t1", author));
    let post = makePost({ price: 20, caption: "Old" });
    let deleted = false;
    const { server, user, queryClient } = renderPosts([post], {
      "GET /api/creators/grace/posts": () => json(200, page(deleted ? [] : [post])),
      "PATCH /api/posts/p0000000-0000-4000-8000-000000000001": (request) => {
        post = { ...post, ...(request.body as Partial<Post>) };
        return json(200, post);
      },
      "DELETE /api/posts/p0000000-0000-4000-8000-000000000001": () => {
        deleted = true;
        return new Response(null, { status: 204 });
      },
    });
    expect(await screen.findByTestId("post-price-badge")).toHaveTextContent("Locked for 20 tokens");
    await user.click(screen.getByTestId("post-edit"));
    const caption = screen.getByTestId("post-caption-input");
    expect(caption).toHaveFocus();
    await user.clear(caption);
    await user.type(caption, "New{Enter}caption");
    await user.clear(screen.getByTestId("price-amount"));
    await user.type(screen.getByTestId("price-amount"), "30");
    await user.click(screen.getByTestId("post-edit-save"));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(server.to("PATCH", "/api/posts/p0000000-0000-4000-8000-000000000001")[0].body).toEqual({
      caption: "New\ncaption",
      price: 30,
    });
    expect(screen.getByTestId("post-caption").querySelectorAll("br")).toHaveLength(1);

    await user.click(screen.getByTestId("post-delete"));
    const dialog = screen.getByRole("dialog", { name: "Delete this post?" });
    expect(dialog).toHaveTextContent("Its 1 photo will be removed too.");
    expect(dialog).toHaveTextContent("Fans who unlocked it will lose access to it.");
    await user.click(within(dialog).getByTestId("post-delete-confirm"));
    await waitFor(() => expect(screen.queryByTestId("post-photo")).not.toBeInTheDocument());
    expect(server.to("DELETE", "/api/posts/p0000000-0000-4000-8000-000000000001")).toHaveLength(1);
    expect(queryClient.getQueryData(postKeys.creator("grace"))).toMatchObject({
      pages: [{ items: [] }],
    });
  });

  it("keeps a published free post free: the locked choice cannot be picked", async () => {
    startSession(makeSession("t1", author));
    const { user } = renderPosts([makePost({ price: 0 })]);
    await user.click(await screen.findByTestId("post-edit"));
    expect(screen.getByTestId("price-locked")).toBeDisabled();
    expect(screen.getByRole("dialog")).toHaveTextContent(
      "A free post stays free once it is published.",
    );
  });
});
