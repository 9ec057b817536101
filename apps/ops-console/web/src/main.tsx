import "@omnihall/ui/tokens.css";
import "./ops-console.css";
import { hallQueryClient, I18nProvider, Router } from "@omnihall/ui";
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { messages } from "./messages";

const queries = hallQueryClient({ staleTime: 5_000 });

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
