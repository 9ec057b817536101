import { afterEach, describe, expect, it } from "vitest";
import { PrismaClient } from "../test-fixtures/ledger/src/generated/prisma/client.js";
import { ledgerDir } from "./ledger-fixture.js";
import { createPrismaClient } from "./prisma-client.js";
import { isRecordNotFound, isTransactionConflict, isUniqueViolation } from "./prisma-errors.js";
import { migratedTestDatabase } from "./testing.js";

const clients: PrismaClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.$disconnect()));
});

async function ledgerClient(poolSize?: number) {
  const database = await migratedTestDatabase(ledgerDir);
  const db = createPrismaClient(PrismaClient, database.url, { poolSize });
  clients.push(db);
  return db;
}

describe("createPrismaClient", () => {
  it("connects the generated client through PrismaPg: bigint fen, jsonb, arrays, the trigger's effect", async () => {
    const db = await ledgerClient();

    const account = await db.account.create({ data: { ownerId: "cus_1", profile: { tier: "gold" }, tags: ["vip"] } });
    await db.entry.create({ data: { accountId: account.id, amountFen: 9_007_199_254_740_993n, requestId: "r1" } });

    const reread = await db.account.findUniqueOrThrow({ where: { id: account.id }, include: { entries: true } });
    expect(reread.balanceFen).toBe(9_007_199_254_740_993n);
    expect(reread.profile).toEqual({ tier: "gold" });
    expect(reread.tags).toEqual(["vip"]);
    expect(reread.entries).toHaveLength(1);
    expect(reread.createTime).toBeInstanceOf(Date);
  });

  it("caps its pool at poolSize connections", async () => {
    const db = await ledgerClient(2);

    const sessions = await Promise.all(
      Array.from({ length: 6 }, () =>
        db.$transaction(async (tx) => {
          const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid FROM pg_sleep(0.05)`;
          return row!.pid;
        }),
      ),
    );

    expect(new Set(sessions).size).toBeLessThanOrEqual(2);
  });
});

describe("Prisma error helpers", () => {
  it("recognise a unique violation, and which constraint refused it", async () => {
    const db = await ledgerClient();
    const account = await db.account.create({ data: { ownerId: "cus_2" } });
    await db.entry.create({ data: { accountId: account.id, amountFen: 100n, requestId: "r1" } });

    const retry = await db.entry
      .create({ data: { accountId: account.id, amountFen: 100n, requestId: "r1" } })
      .catch((error: unknown) => error);
    const sameOwner = await db.account.create({ data: { ownerId: "cus_2" } }).catch((error: unknown) => error);

    expect(isUniqueViolation(retry)).toBe(true);
    expect(isUniqueViolation(retry, "entries_account_id_request_id_key")).toBe(true);
    expect(isUniqueViolation(retry, "accounts_owner_id_key")).toBe(false);
    expect(isUniqueViolation(sameOwner, "accounts_owner_id_key")).toBe(true);
    expect(isRecordNotFound(retry)).toBe(false);
    expect(isUniqueViolation(new Error("P2002"))).toBe(false);
  });

  it("recognise a missing record", async () => {
    const db = await ledgerClient();

    const error = await db.account
      .update({ where: { id: "00000000-0000-4000-8000-000000000000" }, data: { tags: [] } })
      .catch((caught: unknown) => caught);

    expect(isRecordNotFound(error)).toBe(true);
    expect(isUniqueViolation(error)).toBe(false);
  });

  it("recognise a serialization conflict worth retrying", async () => {
    const db = await ledgerClient();
    const account = await db.account.create({ data: { ownerId: "cus_3" } });
    let bothRead!: () => void;
    const readBarrier = new Promise<void>((resolve) => {
      let reads = 0;
      bothRead = () => (++reads === 2 ? resolve() : undefined);
    });
    // Two serializable transactions read the same row, then both write it: PostgreSQL must abort one.
    const addTen = () =>
      db.$transaction(
        async (tx) => {
          const { balanceFen } = await tx.account.findUniqueOrThrow({ where: { id: account.id } });
          bothRead();
          await readBarrier;
          await tx.account.update({ where: { id: account.id }, data: { balanceFen: balanceFen + 10n } });
        },
        { isolationLevel: "Serializable" },
      );

    const outcomes = await Promise.allSettled([addTen(), addTen()]);

    const failures = outcomes.filter((outcome) => outcome.status === "rejected");
    expect(failures).toHaveLength(1);
    expect(isTransactionConflict((failures[0] as PromiseRejectedResult).reason)).toBe(true);
  });
});
