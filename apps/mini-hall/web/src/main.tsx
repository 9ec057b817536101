import "@omnihall/ui/tokens.css";
import "./mini-hall.css";
import { I18nProvider } from "@omnihall/ui";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { messages } from "./messages";

// The app shell is cached by the service worker so the handheld opens it with no signal.
if ("serviceWorker" in navigator) {
  void navigator.serviceWorker.register("/sw.js", { scope: "/" });
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <I18nProvider messages={messages}>
      <App />
    </I18nProvider>
  </StrictMode>,
);
