import "@omnihall/ui/tokens.css";
import "./kiosk.css";
import { I18nProvider } from "@omnihall/ui";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { KioskApiError } from "./api";
import { App } from "./App";
import { messages } from "./messages";

// Server state stays on the server; a refusal (4xx) is not retried, it will not change by itself.
const queries = new QueryClient({
  defaultOptions: {
    queries: { retry: (count, error) => !(error instanceof KioskApiError && error.status < 500) && count < 2 },
  },
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <I18nProvider messages={messages}>
      <QueryClientProvider client={queries}>
        <App />
      </QueryClientProvider>
    </I18nProvider>
  </StrictMode>,
);
