import {
  useInfiniteQuery,
  useMutation,
  useQueryClient,
  type InfiniteData,
} from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { errorMessage } from "../api/errors";
import { listNotifications, markRead } from "../api/notifications";
import type { MarkReadRequest, Notification, Page, UnreadCount } from "../api/types";
import { useSession } from "../auth/useSession";
import { Spinner } from "../components/feedback";
import { LoadMore } from "../components/LoadMore";
import { NotificationActorAvatar } from "../components/NotificationActor";
import {
  describeNotification,
  notificationImage,
  notificationLink,
} from "../components/NotificationText";
import { Empty, ErrorState, Loading } from "../components/states";
import { dateTime, timeAgo } from "../lib/format";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { pagedQuery, useUnreadCount } from "../queries/hooks";
import { keys } from "../queries/keys";

type Lists = InfiniteData<Page<Notification>, string | null>;

/** Mark some (or all) as read, showing it at once; the server's answer settles the count. */
function useMarkRead() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: markRead,
    onMutate: async (body: MarkReadRequest) => {
      await client.cancelQueries({ queryKey: keys.notifications });
      const ids = new Set(body.ids ?? []);
      const now = new Date().toISOString();
      client.setQueriesData<Lists>({ queryKey: ["notifications", "list"] }, (old) =>
        old
          ? {
              ...old,
              pages: old.pages.map((page) => ({
                ...page,
                items: page.items.map((n) =>
                  n.read_at === null && (body.all || ids.has(n.id)) ? { ...n, read_at: now } : n,
                ),
              })),
            }
          : old,
      );
    },
    onSuccess: (result) => {
      client.setQueryData<UnreadCount>(keys.unreadCount, { count: result.unread });
    },
    onSettled: () => {
      void client.invalidateQueries({ queryKey: keys.notifications });
    },
  });
}

function Item({
  notification,
  me,
  role,
  onRead,
}: {
  notification: Notification;
  me: string;
  role: string;
  onRead: () => void;
}) {
  const unread = notification.read_at === null;
  const link = notificationLink(notification, me, role);
  const image = notificationImage(notification);
  const text = describeNotification(notification);
  return (
    <li
      className={unread ? "notice notice-unread" : "notice"}
      data-testid="notification-item"
      data-unread={unread ? "true" : "false"}
      data-kind={notification.kind}
    >
      {unread ? <span className="dot" aria-hidden="true" /> : null}
      <NotificationActorAvatar notification={notification} />
      {image ? <img src={image} alt="" width={48} height={48} className="notice-image" /> : null}
      <div className="notice-body">
        <p className="notice-text">
          {unread ? <span className="visually-hidden">Unread: </span> : null}
          {link ? <Link to={link}>{text}</Link> : text}
        </p>
        <time
          className="muted small"
          dateTime={notification.created_at}
          title={dateTime(notification.created_at)}
        >
          {timeAgo(notification.created_at)}
        </time>
      </div>
      {unread ? (
        <button type="button" className="btn btn-small" onClick={onRead}>
          Mark as read
        </button>
      ) : null}
    </li>
  );
}

export function NotificationsPage() {
  useDocumentTitle("Notifications");
  const { user } = useSession();
  const [params, setParams] = useSearchParams();
  const unreadOnly = params.get("filter") === "unread";
  const query = useInfiniteQuery(
    pagedQuery(keys.notificationList(unreadOnly), (args) =>
      listNotifications({ ...args, unread: unreadOnly }),
    ),
  );
  const unread = useUnreadCount();
  const mark = useMarkRead();
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  const unreadCount = unread.data?.count ?? items.filter((n) => n.read_at === null).length;

  return (
    <section className="page" data-testid="notifications-page">
      <header className="page-header page-header-row">
        <div>
          <h1>Notifications</h1>
          <p className="muted">
            {unreadCount > 0 ? `${unreadCount} unread` : "You're all caught up."}
          </p>
        </div>
        <button
          type="button"
          className="btn btn-ghost"
          onClick={() => mark.mutate({ all: true })}
          disabled={mark.isPending || unreadCount === 0}
          data-testid="mark-all-read"
        >
          {mark.isPending && mark.variables?.all ? (
            <Spinner label="Marking…" />
          ) : (
            "Mark all as read"
          )}
        </button>
      </header>
      <div className="tabs" role="group" aria-label="Show">
        <button
          type="button"
          className="tab"
          aria-pressed={!unreadOnly}
          onClick={() => setParams({}, { replace: true })}
        >
          All
        </button>
        <button
          type="button"
          className="tab"
          aria-pressed={unreadOnly}
          onClick={() => setParams({ filter: "unread" }, { replace: true })}
        >
          Unread
        </button>
      </div>
      {mark.isError ? (
        <p className="alert alert-error" role="alert">
          Couldn&apos;t mark as read: {errorMessage(mark.error)}
        </p>
      ) : null}
      {query.isPending ? (
        <Loading label="Loading notifications…" />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : items.length === 0 ? (
        <Empty testId="notification-list">
          <p>
            {unreadOnly
              ? "No unread notifications."
              : "Nothing yet. New followers, tips and payments will show up here."}
          </p>
        </Empty>
      ) : (
        <>
          <ul className="notice-list" data-testid="notification-list">
            {items.map((notification) => (
              <Item
                key={notification.id}
                notification={notification}
                me={user?.handle ?? ""}
                role={user?.role ?? "fan"}
                onRead={() => mark.mutate({ ids: [notification.id] })}
              />
            ))}
          </ul>
          <LoadMore query={query} label="Show older notifications" />
        </>
      )}
    </section>
  );
}
