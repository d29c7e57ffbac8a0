/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The API's origin when it is not the page's own (default: same origin, relative /api). */
  readonly VITE_API_URL?: string;
  /** Turns on error reporting with @sentry/react. */
  readonly VITE_SENTRY_DSN?: string;
  readonly VITE_SENTRY_ENVIRONMENT?: string;
  readonly VITE_RELEASE?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
