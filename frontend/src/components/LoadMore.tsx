import { useEffect, useRef } from "react";
import { errorMessage } from "../api/errors";
import { Spinner } from "./feedback";

interface Paged {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  error: unknown;
  fetchNextPage: () => Promise<unknown>;
}

/**
 * Infinite scroll: loads the next page when this comes into view (IntersectionObserver), with
 * a real button as well, for keyboards and browsers without the observer.
 */
export function LoadMore({ query, label = "Show more" }: { query: Paged; label?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, isFetchNextPageError, fetchNextPage } = query;
  const auto = hasNextPage && !isFetchingNextPage && !isFetchNextPageError;

  useEffect(() => {
    const element = ref.current;
    if (!auto || !element || typeof IntersectionObserver !== "function") return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) void fetchNextPage();
      },
      { rootMargin: "400px 0px" },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [auto, fetchNextPage]);

  if (!hasNextPage) return null;
  return (
    <div className="load-more" ref={ref}>
      {isFetchNextPageError ? (
        <p className="field-error" role="alert">
          Couldn&apos;t load more: {errorMessage(query.error)}
        </p>
      ) : null}
      <button
        type="button"
        className="btn btn-ghost"
        disabled={isFetchingNextPage}
        onClick={() => void fetchNextPage()}
      >
        {isFetchingNextPage ? <Spinner label="Loading more…" /> : label}
      </button>
    </div>
  );
}
