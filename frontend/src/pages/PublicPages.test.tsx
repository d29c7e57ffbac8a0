import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { endSession, startSession } from "../api/session";
import { bearer, json, makeSession, makeUser, mockApi } from "../test/api";
import { makeCreator, makeMedia, page } from "../test/data";
import { renderApp } from "../test/render";

function creatorRoutes() {
  return {
    "GET /api/creators/grace": () => json(200, makeCreator()),
    "GET /api/creators/grace/media": () => json(200, page([makeMedia()])),
    "GET /api/creators": () => json(200, page([makeCreator()])),
  };
}

describe("public pages for signed-out visitors", () => {
  it("shows a creator's profile, with sign-in links instead of follow", async () => {
    endSession(null);
    const server = mockApi(creatorRoutes());
    const { router } = renderApp("/creators/grace?from=share");

    expect(await screen.findByRole("heading", { name: "Grace Hopper" })).toBeVisible();
    expect(router.state.location.pathname).toBe("/creators/grace");
    expect(screen.queryByTestId("follow-button")).not.toBeInTheDocument();
    const follow = screen.getByTestId("follow-sign-in");
    expect(follow).toHaveTextContent("Sign in to follow");
    expect(follow).toHaveAttribute("href", "/login");
    const [request] = server.to("GET", "/api/creators/grace");
    expect(bearer(request)).toBeNull();
  });

  it("comes back to the creator page after signing in from 'Sign in to follow'", async () => {
    endSession(null);
    mockApi({
      ...creatorRoutes(),
      "POST /api/auth/login": () => json(200, makeSession("t1", makeUser())),
    });
    const { user, router } = renderApp("/creators/grace?tab=photos");

    await user.click(await screen.findByTestId("follow-sign-in"));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeVisible();
    await user.type(screen.getByLabelText("Email"), "ada@example.com");
    await user.type(screen.getByLabelText("Password"), "a long enough password");
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByTestId("follow-button")).toHaveTextContent("Follow");
    expect(router.state.location.pathname).toBe("/creators/grace");
    expect(router.state.location.search).toBe("?tab=photos");
  });

  it("carries the way back from login on to signup", async () => {
    endSession(null);
    mockApi(creatorRoutes());
    const { user, router } = renderApp("/creators/grace");

    await user.click(await screen.findByTestId("follow-sign-in"));
    await user.click(await screen.findByTestId("signup-link"));
    expect(router.state.location.pathname).toBe("/signup");
    expect(router.state.location.state).toEqual({ from: "/creators/grace" });
  });

  it("lists creators without a sign-in and offers Sign in / Sign up in the header", async () => {
    endSession(null);
    mockApi(creatorRoutes());
    const { router } = renderApp("/creators");

    expect(await screen.findByTestId("creator-card-grace")).toBeVisible();
    expect(router.state.location.pathname).toBe("/creators");
    const header = document.querySelector<HTMLElement>(".site-header")!;
    expect(within(header).getByTestId("login-button")).toHaveTextContent("Sign in");
    expect(within(header).getByTestId("signup-button")).toHaveTextContent("Sign up");
    expect(within(header).getByTestId("nav-creators")).toHaveAttribute("href", "/creators");
  });

  it("the header's Sign in comes back to the page", async () => {
    endSession(null);
    mockApi(creatorRoutes());
    const { user, router } = renderApp("/creators?sort=new");
    await screen.findByTestId("creator-card-grace");
    await user.click(screen.getByTestId("login-button"));
    expect(router.state.location.pathname).toBe("/login");
    expect(router.state.location.state).toEqual({ from: "/creators?sort=new" });
  });

  it("shows featured and newest creators on the home page", async () => {
    endSession(null);
    const server = mockApi({
      "GET /api/creators": (request) =>
        json(
          200,
          page([
            makeCreator(
              new URL(request.url, "http://localhost").searchParams.get("sort") === "new"
                ? { id: "n1", handle: "newbie", display_name: "New Person" }
                : {},
            ),
          ]),
        ),
    });
    renderApp("/");

    const featured = await screen.findByTestId("home-featured");
    expect(await within(featured).findByTestId("creator-card-grace")).toBeVisible();
    const newest = screen.getByTestId("home-newest");
    expect(await within(newest).findByTestId("creator-card-newbie")).toBeVisible();
    const sorts = server
      .to("GET", "/api/creators")
      .map((request) => new URL(request.url, "http://localhost").searchParams.get("sort"));
    expect(sorts.sort()).toEqual(["new", "popular"]);
  });

  it("keeps the signed-in home page as it was", async () => {
    startSession(makeSession("t1"));
    const server = mockApi({});
    renderApp("/");
    expect(await screen.findByText("Continue as Ada Lovelace")).toBeVisible();
    expect(screen.queryByTestId("home-featured")).not.toBeInTheDocument();
    await waitFor(() => expect(server.to("GET", "/api/creators")).toHaveLength(0));
  });

  it("a visitor who opens the tip dialog is offered to sign in", async () => {
    endSession(null);
    mockApi(creatorRoutes());
    const { user } = renderApp("/creators/grace");
    const tip = await screen.findByTestId(/tip-(button|sign-in)/);
    if (tip.tagName === "BUTTON") {
      await user.click(tip);
      const dialog = await screen.findByTestId("tip-dialog");
      expect(within(dialog).getByTestId("tip-sign-in")).toHaveTextContent("Sign in to tip");
      expect(within(dialog).queryByTestId("tip-form")).not.toBeInTheDocument();
    } else {
      expect(tip).toHaveTextContent("Sign in to tip");
    }
  });
});
