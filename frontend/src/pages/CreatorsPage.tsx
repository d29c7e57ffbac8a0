import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useSearchParams } from "react-router";
import { listCreators } from "../api/creators";
import type { CreatorSort } from "../api/types";
import { CreatorCard } from "../components/CreatorCard";
import { Spinner } from "../components/feedback";
import { LoadMore } from "../components/LoadMore";
import { Empty, ErrorState, Loading } from "../components/states";
import { useDebounced } from "../lib/useDebounced";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { pagedQuery } from "../queries/hooks";
import { keys } from "../queries/keys";

const SORTS: { value: CreatorSort; label: string }[] = [
  { value: "popular", label: "Most followed" },
  { value: "new", label: "Newest" },
];

export function CreatorsPage() {
  useDocumentTitle("Creators");
  const searchId = useId();
  const sortId = useId();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get("q") ?? "");
  const sort: CreatorSort = params.get("sort") === "new" ? "new" : "popular";
  const q = useDebounced(text.trim(), 300);

  const query = useInfiniteQuery({
    ...pagedQuery(keys.creatorList(q, sort), (args) => listCreators({ ...args, q, sort }), 24),
    placeholderData: keepPreviousData,
  });
  const creators = query.data?.pages.flatMap((page) => page.items) ?? [];

  function update(next: { q?: string; sort?: CreatorSort }) {
    const merged = { q: next.q ?? text.trim(), sort: next.sort ?? sort };
    const search = new URLSearchParams();
    if (merged.q) search.set("q", merged.q);
    if (merged.sort !== "popular") search.set("sort", merged.sort);
    setParams(search, { replace: true });
  }

  return (
    <section className="page page-wide" data-testid="creators-page">
      <header className="page-header">
        <h1>Creators</h1>
        <p className="muted">Find creators to follow, then support them with tips.</p>
      </header>
      <form className="toolbar" role="search" onSubmit={(event) => event.preventDefault()}>
        <div className="field toolbar-grow">
          <label className="field-label" htmlFor={searchId}>
            Search creators
          </label>
          <input
            id={searchId}
            className="input"
            type="search"
            placeholder="Name or @handle"
            value={text}
            autoComplete="off"
            spellCheck={false}
            data-testid="creator-search"
            onChange={(event) => {
              setText(event.target.value);
              update({ q: event.target.value.trim() });
            }}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={sortId}>
            Sort by
          </label>
          <select
            id={sortId}
            className="input"
            value={sort}
            onChange={(event) => update({ sort: event.target.value as CreatorSort })}
          >
            {SORTS.map(({ value, label }) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </form>
      <div aria-live="polite" className="visually-hidden">
        {query.isSuccess && !query.isPlaceholderData
          ? `${creators.length}${query.hasNextPage ? " or more" : ""} creators found`
          : ""}
      </div>
      {query.isPending ? (
        <Loading label="Loading creators…" />
      ) : query.isError && creators.length === 0 ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : creators.length === 0 ? (
        <Empty>
          <p>{q ? `No creator matches “${q}”.` : "No creators yet."}</p>
          {q ? (
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                setText("");
                update({ q: "" });
              }}
            >
              Clear the search
            </button>
          ) : null}
        </Empty>
      ) : (
        <>
          {query.isPlaceholderData ? (
            <p className="muted">
              <Spinner label="Searching…" />
            </p>
          ) : null}
          <ul
            className="creator-grid"
            data-testid="creator-list"
            aria-busy={query.isPlaceholderData}
          >
            {creators.map((creator) => (
              <li key={creator.id}>
                <CreatorCard creator={creator} />
              </li>
            ))}
          </ul>
          <LoadMore query={query} label="Show more creators" />
        </>
      )}
    </section>
  );
}
