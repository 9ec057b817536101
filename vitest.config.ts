import { defineConfig } from "vitest/config";

// One run over every workspace: the global setup finds (or starts) PostgreSQL and NATS once for all of them.
export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts", "apps/*/vitest.config.ts"],
    globalSetup: ["./packages/testkit/src/global-setup.ts"],
  },
});
