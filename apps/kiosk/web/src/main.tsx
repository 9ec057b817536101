import "@omnihall/ui/tokens.css";
import "./kiosk.css";
import { hallQueryClient, I18nProvider } from "@omnihall/ui";
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { messages } from "./messages";

const queries = hallQueryClient({ staleTime: 0 });

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <I18nProvider messages={messages}>
      <QueryClientProvider client={queries}>
        <App />
      </QueryClientProvider>
    </I18nProvider>
  </StrictMode>,
);
