import { afterEach, describe, expect, it } from "vitest";
import { PrismaClient } from "../test-fixtures/ledger/src/generated/prisma/client.js";
import { ledgerDir } from "./ledger-fixture.js";
import { collectSpans } from "@omnihall/telemetry/testing";
import { preparedLookup, preparedQuery, preparedRead, preparedTransaction } from "./prepared-reads.js";
import { createPrismaClient } from "./prisma-client.js";
import { migratedTestDatabase } from "./testing.js";

const clients: PrismaClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.$disconnect()));
});

const balanceOf = preparedRead<{ id: string; balanceFen: string }>(
  "ledger_account_balance",
  `SELECT id, balance_fen::text AS "balanceFen" FROM accounts WHERE id = $1`,
);

describe("preparedRead", () => {
  it("reads one row through the Prisma client's own pool, the same on every connection, undefined when absent", async () => {
    const database = await migratedTestDatabase(ledgerDir);
    const db = createPrismaClient(PrismaClient, database.url, { poolSize: 3 });
    clients.push(db);
    const account = await db.account.create({ data: { ownerId: "cus_1" } });
    await db.entry.create({ data: { accountId: account.id, amountFen: 9_007_199_254_740_993n, requestId: "r1" } });

    // More reads at once than connections: the statement is prepared on each connection it meets.
    const rows = await Promise.all(Array.from({ length: 12 }, () => balanceOf(db, [account.id])));
    expect(rows.map((row) => row && BigInt(row.balanceFen))).toEqual(Array(12).fill(9_007_199_254_740_993n));
    expect(await balanceOf(db, ["00000000-0000-4000-8000-000000000000"])).toBeUndefined();
  });

  it("refuses a client that createPrismaClient did not make", async () => {
    await expect(balanceOf({}, ["x"])).rejects.toThrow(/not made by createPrismaClient/);
  });
});

const accountById = preparedLookup<{ id: string; ownerId: string }>(
  "ledger_accounts_by_id",
  `SELECT id, owner_id AS "ownerId" FROM accounts WHERE id = ANY($1::uuid[])`,
  (row) => row.id,
);

describe("preparedLookup", () => {
  it("answers each lookup with its own row (or undefined), lookups made together going out as one query", async () => {
    const database = await migratedTestDatabase(ledgerDir);
    const db = createPrismaClient(PrismaClient, database.url, { poolSize: 3 });
    clients.push(db);
    const accounts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => db.account.create({ data: { ownerId: `cus_${i}` } })),
    );
    const missing = "00000000-0000-4000-8000-000000000000";
    const keys = [...accounts.map((a) => a.id), missing, accounts[3]!.id];

    const tracing = collectSpans("prepared-lookup");
    try {
      const rows = await Promise.all(keys.map((id) => accountById(db, id)));
      expect(rows.map((row) => row?.ownerId)).toEqual([...accounts.map((_, i) => `cus_${i}`), undefined, "cus_3"]);
      const selects = tracing.spans().filter((span) => span.name.startsWith("SELECT"));
      expect(selects).toHaveLength(1);
      // Asked one at a time, each is its own query.
      expect((await accountById(db, accounts[0]!.id))?.ownerId).toBe("cus_0");
      expect(await accountById(db, missing)).toBeUndefined();
      expect(tracing.spans().filter((span) => span.name.startsWith("SELECT"))).toHaveLength(3);
    } finally {
      await tracing.stop();
    }
  });
});

const renameOwner = preparedQuery<{ id: string }>(
  "ledger_rename_owner",
  `UPDATE accounts SET owner_id = $2 WHERE id = $1 RETURNING id`,
);

describe("preparedTransaction", () => {
  it("commits its prepared statements together, or none of them when one step throws", async () => {
    const database = await migratedTestDatabase(ledgerDir);
    const db = createPrismaClient(PrismaClient, database.url, { poolSize: 2 });
    clients.push(db);
    const [first, second] = await Promise.all([
      db.account.create({ data: { ownerId: "cus_1" } }),
      db.account.create({ data: { ownerId: "cus_2" } }),
    ]);

    await expect(
      preparedTransaction(db, async (connection) => {
        await renameOwner(connection, [first.id, "cus_renamed"]);
        throw new Error("second step refused");
      }),
    ).rejects.toThrow("second step refused");
    expect((await db.account.findUniqueOrThrow({ where: { id: first.id } })).ownerId).toBe("cus_1");

    await preparedTransaction(db, async (connection) => {
      await renameOwner(connection, [first.id, "cus_a"]);
      await renameOwner(connection, [second.id, "cus_b"]);
    });
    const owners = await db.account.findMany({ orderBy: { ownerId: "asc" }, select: { ownerId: true } });
    expect(owners.map((account) => account.ownerId)).toEqual(["cus_a", "cus_b"]);
  });

  it("gives up waiting for a pooled connection after maxWaitMs, and the pool serves again once one is free", async () => {
    const database = await migratedTestDatabase(ledgerDir);
    const db = createPrismaClient(PrismaClient, database.url, { poolSize: 1 });
    clients.push(db);
    const account = await db.account.create({ data: { ownerId: "cus_1" } });
    let free!: () => void;
    const busy = new Promise<void>((resolve) => (free = resolve));
    let held = false;
    const holder = preparedTransaction(db, async () => {
      held = true;
      await busy;
    });
    await expect.poll(() => held).toBe(true);

    await expect(preparedTransaction(db, async () => undefined, { maxWaitMs: 100 })).rejects.toThrow(
      /no pooled database connection free within 100 ms/,
    );
    free();
    await holder;
    await preparedTransaction(db, (connection) => renameOwner(connection, [account.id, "cus_later"]));
    expect((await db.account.findUniqueOrThrow({ where: { id: account.id } })).ownerId).toBe("cus_later");
  });
});
