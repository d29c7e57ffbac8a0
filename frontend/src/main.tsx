import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter } from "react-router";
import { keepSessionFresh, restoreSession } from "./api/refresh";
import { App } from "./App";
import { initObservability } from "./observability";
import { clearCacheOnUserChange, createQueryClient } from "./queryClient";
import { routes } from "./routes";
import "./styles.css";

void initObservability();

const queryClient = createQueryClient();
clearCacheOnUserChange(queryClient);
// Ask the refresh cookie whether we are signed in; the app shows a loading state until then.
void restoreSession();
keepSessionFresh();

const router = createBrowserRouter(routes);

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <App router={router} queryClient={queryClient} />
  </StrictMode>,
);
