import "@omnihall/ui/tokens.css";
import "./web-hall.css";
import { QueryClientProvider } from "@tanstack/react-query";
import { hallQueryClient, I18nProvider } from "@omnihall/ui";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { messages } from "./messages";
import { Router } from "./router";

const queries = hallQueryClient({ staleTime: 10_000 });

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
