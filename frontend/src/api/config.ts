/**
 * Where the API lives. Default: the page's own origin, so paths stay relative (`/api/...`);
 * Vite's dev server proxies `/api` and `/media` to the API on :8000, and in production the
 * API serves the built app itself. Set VITE_API_URL only for an API on another origin.
 */
export function apiBaseUrl(): string {
  const configured: string | undefined = import.meta.env.VITE_API_URL;
  return (configured ?? "").trim().replace(/\/+$/, "");
}

export function apiUrl(path: string): string {
  if (/^https?:\/\//i.test(path)) return path;
  return `${apiBaseUrl()}${path.startsWith("/") ? path : `/${path}`}`;
}
