import "@omnihall/ui/tokens.css";
import "./ops-console.css";
import { I18nProvider, Router } from "@omnihall/ui";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { ApiError } from "./api";
import { App } from "./App";
import { messages } from "./messages";

// Server state lives on the services: short caches, no retries of refusals (a 4xx will not change by itself).
const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
  },
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <I18nProvider messages={messages}>
      <QueryClientProvider client={queries}>
        <Router>
          <App />
        </Router>
      </QueryClientProvider>
    </I18nProvider>
  </StrictMode>,
);
