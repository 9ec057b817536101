import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The web hall's pages, built into web/dist and served by the hall itself (hall kit `frontEnd`), so the page and
// its API share one origin: cookies stay SameSite=Strict and no CORS is needed.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: { proxy: { "/v1": "http://127.0.0.1:8080", "/openapi.json": "http://127.0.0.1:8080" } },
});
