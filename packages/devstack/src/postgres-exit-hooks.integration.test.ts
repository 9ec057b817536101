import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

describe("loading embedded PostgreSQL", () => {
  it("leaves a process's exit code alone (no exit hooks of the package stay installed)", () => {
    // A child that loads the package the way startEmbeddedPostgres does, then ends with exit code 3 the natural
    // way, as vitest does after failed tests.
    const script = `
      const { loadEmbeddedPostgres } = await import(${JSON.stringify(fileURLToPath(new URL("./postgres.ts", import.meta.url)))});
      await loadEmbeddedPostgres();
      process.exitCode = 3;`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(child.stderr).toBe("");
    expect(child.status).toBe(3);
  });
});
