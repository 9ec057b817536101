import { afterEach, describe, expect, it } from "vitest";
import { PrismaClient } from "../test-fixtures/ledger/src/generated/prisma/client.js";
import { ledgerDir } from "./ledger-fixture.js";
import { preparedRead } from "./prepared-reads.js";
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
