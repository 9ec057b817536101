import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The handheld's pages, built into web/dist and served by the mini hall itself (one origin: cookies stay
// SameSite=Strict, the service worker's scope is the whole app). public/ holds the manifest and the worker.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: { proxy: { "/v1": "http://127.0.0.1:8082", "/openapi.json": "http://127.0.0.1:8082" } },
});
