import { uniqueSuffix } from "@omnihall/testkit";
import pg from "pg";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { databaseUrlFor } from "./database-urls.js";
import { databaseExists, dropDatabase, ensureDatabase } from "./databases.js";

const adminUrl = () => inject("postgresUrl");

describe("ensureDatabase", () => {
  it("creates a missing database exactly once, however many ask at the same time", async () => {
    const name = `t_ensure_${uniqueSuffix()}`;
    onTestFinished(() => dropDatabase(adminUrl(), name));

    const created = await Promise.all([1, 2, 3, 4].map(() => ensureDatabase(adminUrl(), name)));

    expect(created.filter(Boolean)).toHaveLength(1);
    expect(await databaseExists(adminUrl(), name)).toBe(true);
    expect(await ensureDatabase(adminUrl(), name)).toBe(false);
  });
});

describe("dropDatabase", () => {
  it("drops a database someone is still connected to, and is quiet when it is gone", async () => {
    const name = `t_drop_${uniqueSuffix()}`;
    await ensureDatabase(adminUrl(), name);
    const session = new pg.Client({ connectionString: databaseUrlFor(adminUrl(), name) });
    await session.connect();
    session.on("error", () => {}); // the server ends this session on purpose

    await dropDatabase(adminUrl(), name);
    await dropDatabase(adminUrl(), name);

    expect(await databaseExists(adminUrl(), name)).toBe(false);
    await session.end().catch(() => {});
  });
});
