import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The kiosk's screen, built into web/dist and served by the kiosk hall itself (hall kit `frontEnd`): one origin
// for page and API, so the session cookie stays SameSite=Strict.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  server: { proxy: { "/v1": "http://127.0.0.1:8081", "/openapi.json": "http://127.0.0.1:8081" } },
});
