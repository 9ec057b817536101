import { setTimeout as sleep } from "node:timers/promises";
import { migrateDeploy } from "@omnihall/db";
import { ordersMigrations } from "@omnihall/orders";
import pg from "pg";
import { BILLED_SUBSCRIBERS, type BenchContext } from "../context.js";
import { ms, perSecond } from "../table.js";
import type { CoreServices } from "./read-paths.js";

const ORDERS = Number(process.env.BENCH_ORDERS ?? 300);
const CONCURRENCY = 16;
const SAGA_WORKERS = 8;

/**
 * Orders through the whole saga, every service its own process: a load process creates and confirms orders (the
 * hall-facing pair) while the orders service runs each saga (eligibility → charge → provision → activate) against
 * catalog, billing and customer, provisioning simulated at zero latency. Completion is read from the orders
 * database.
 */
export async function ordersSaga(ctx: BenchContext, core: CoreServices): Promise<void> {
  const databaseUrl = ctx.databases.urlFor("orders");
  await migrateDeploy({ ...ordersMigrations, databaseUrl });
  // Enough balance that every order's charge succeeds: the bench is about the saga, not refusals.
  const billing = new pg.Client({ connectionString: ctx.databases.urlFor("billing") });
  await billing.connect();
  await billing.query("UPDATE account SET balance_fen = 100000000");
  await billing.end();

  const orders = await ctx.start("orders", {
    NATS_URL: ctx.natsUrl,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: String(SAGA_WORKERS + 6),
    CATALOG_ADDRESS: core.catalog.address,
    CUSTOMER_ADDRESS: core.customer.address,
    BILLING_ADDRESS: core.billing.address,
    SAGA_WORKERS: String(SAGA_WORKERS),
    SAGA_POLL_MS: "20",
    PROVISIONING_LATENCY_MS: "0",
  });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const open = async () =>
      Number(
        (await db.query<{ n: string }>('SELECT count(*) AS n FROM "order" WHERE saga_step IS NOT NULL')).rows[0]!.n,
      );
    const started = performance.now();
    const processes = [orders, core.catalog, core.billing, core.customer];
    const [[accepted, completed, seconds], cpu] = await ctx.cpuPerCall(
      processes,
      async () => {
        const figures = await ctx.grpcLoad({
          scenario: "orders.CreateAndConfirm",
          address: orders.address,
          caller: "platform",
          subscribers: BILLED_SUBSCRIBERS,
          concurrency: CONCURRENCY,
          count: ORDERS,
          warmupCalls: 0,
        });
        const deadline = Date.now() + 120_000;
        while ((await open()) > 0 && Date.now() < deadline) await sleep(20);
        const done = Number(
          (await db.query<{ n: string }>(`SELECT count(*) AS n FROM "order" WHERE state = 'COMPLETED'`)).rows[0]!.n,
        );
        return [figures, done, (performance.now() - started) / 1000] as const;
      },
      () => ORDERS,
    );
    const sagaRate = completed / seconds;
    ctx.rows.push({
      path: "orders: full saga to COMPLETED",
      figure: `${perSecond(sagaRate)} (${completed}/${ORDERS} in ${seconds.toFixed(1)} s)`,
      target: "≥ 300 orders/s",
      met: sagaRate >= 300 && completed === ORDERS,
      cpu,
      settings: `${ORDERS} orders, ${CONCURRENCY} in flight, ${SAGA_WORKERS} saga workers, provisioning 0 ms`,
    });
    ctx.rows.push({
      path: "orders: create+confirm",
      figure:
        `p50 ${ms(accepted.p50Ms)}, p99 ${ms(accepted.p99Ms)}, ${perSecond(accepted.perSecond)}` +
        (accepted.failed ? `, ${accepted.failed} failed` : ""),
      target: "p50 < 20 ms",
      met: accepted.p50Ms < 20 && accepted.failed === 0,
      settings: `gRPC load process, ${CONCURRENCY} in flight, as caller platform`,
    });
  } finally {
    await db.end();
    await orders.stop();
  }
}
