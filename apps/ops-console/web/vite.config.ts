import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The console's pages, built into web/dist and served by the ops console itself (one origin: the session cookie
// stays SameSite=Strict). `vite web` proxies the API to a running console.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { "/v1": "http://127.0.0.1:8083", "/openapi.json": "http://127.0.0.1:8083" } },
});
