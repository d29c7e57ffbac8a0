import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach, vi } from "vitest";
import { disconnectTabs } from "../api/crossTab";
import { resetRefreshForTests } from "../api/refresh";
import { resetSessionForTests } from "../api/session";

// jsdom has no scrolling; the router's ScrollRestoration calls it on every navigation.
window.scrollTo = () => undefined;

beforeEach(() => {
  // Each test starts as a fresh page load in a browser without Web Locks or BroadcastChannel
  // (like jsdom); the cross-tab tests install fakes of both.
  vi.stubGlobal("BroadcastChannel", undefined);
  disconnectTabs();
  resetRefreshForTests();
  resetSessionForTests();
});

afterEach(() => {
  cleanup();
  disconnectTabs();
});
