import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { startSession } from "../api/session";
import { json, makeSession, mockApi } from "../test/api";
import { makeNotification, page } from "../test/data";
import { renderApp } from "../test/render";
import { notificationEvent, sseServer } from "../test/stream";

const CREATOR = {
  id: "c1",
  handle: "ada",
  display_name: "Ada",
  avatar_url: "/media/ada.webp",
  role: "creator",
};
const FAN = { id: "f1", handle: "mira", display_name: "Mira", avatar_url: null, role: "fan" };

describe("who a notice is about", () => {
  it("shows their picture, name and @handle, linking creators to their page", async () => {
    startSession(makeSession("t1"));
    mockApi({
      "GET /api/notifications": () =>
        json(
          200,
          page([
            makeNotification({ id: 3, kind: "follow", data: { actor: CREATOR } }),
            makeNotification({
              id: 2,
              kind: "post_unlocked",
              data: { post_id: "p1", price: 7, actor: FAN },
            }),
            makeNotification({ id: 1 }), // an older notice: no actor
          ]),
        ),
    });
    renderApp("/notifications");

    const list = await screen.findByTestId("notification-list");
    const [follow, unlock, old] = within(list).getAllByTestId("notification-item");
    expect(follow).toHaveTextContent("Ada (@ada) followed you");
    const picture = within(follow).getByTestId("notification-actor");
    expect(picture).toHaveAttribute("href", "/creators/ada");
    expect(picture.querySelector("img")).toHaveAttribute("src", "/media/ada.webp");
    expect(within(follow).getByRole("link", { name: "Ada (@ada) followed you" })).toHaveAttribute(
      "href",
      "/creators/ada",
    );

    expect(unlock).toHaveTextContent("Mira (@mira) unlocked your post for 7 tokens");
    const fanPicture = within(unlock).getByTestId("notification-actor");
    expect(fanPicture.tagName).not.toBe("A"); // fans have no public page
    expect(fanPicture).toHaveTextContent("M");

    expect(old).toHaveTextContent("Demo Fan followed you");
    expect(within(old).queryByTestId("notification-actor")).not.toBeInTheDocument();
  });

  it("pops up a live notice with the person, and dismisses it", async () => {
    startSession(makeSession("t1"));
    const sse = sseServer();
    mockApi({ "GET /api/notifications/stream": sse.handler });
    const { user } = renderApp("/dashboard");
    await waitFor(() => expect(sse.connections).toBe(1));

    sse.write(
      notificationEvent(
        makeNotification({ id: 9, kind: "tip", data: { actor: CREATOR, amount: 3 } }),
      ),
    );

    const toast = await screen.findByTestId("notification-toast");
    expect(toast).toHaveTextContent("Ada (@ada) tipped you 3 tokens");
    expect(within(toast).getByTestId("notification-actor")).toHaveAttribute(
      "href",
      "/creators/ada",
    );
    await user.click(within(toast).getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByTestId("notification-toast")).not.toBeInTheDocument();
  });
});
