// Loaded on demand by observability.ts, only when VITE_SENTRY_DSN is set. Named imports keep
// the chunk to what is used (the SDK's replay, feedback, ... stay out).
export { captureException, init, setUser } from "@sentry/react";
