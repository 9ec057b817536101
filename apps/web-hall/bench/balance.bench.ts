/**
 * `npm run bench`: the web hall's balance query end to end (HTTP → web hall → gRPC → billing → PostgreSQL),
 * against a baseline in the same run — a bare fastify route running the same SQL directly — with autocannon.
 * Prints req/s, p50 and p99 of both and their ratio. A benchmark, not a test: it never fails on speed.
 */
import { InProcessBus } from "@omnihall/bus";
import {
  billingMigrations,
  createBillingDb,
  loadBillingConfig,
  seedBilling,
  startBillingService,
} from "@omnihall/billing";
import { customerMigrations, loadCustomerConfig, seedCustomer, startCustomerService } from "@omnihall/customer";
import { dropDatabase, migrateDeploy, serviceDatabaseUrl } from "@omnihall/db";
import { demoSubscribers } from "@omnihall/demo-data";
import { isListening, repoRoot, startEmbeddedPostgres } from "@omnihall/devstack";
import { createLogger } from "@omnihall/service-kit";
import autocannon from "autocannon";
import Fastify from "fastify";
import path from "node:path";
import pg from "pg";
import { buildWebHall, closeWebHallClients, createWebHallClients, loadWebHallConfig } from "../src/index.js";

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SUBSCRIBERS = 200;
const silent = createLogger("bench", { level: "silent" });

async function postgresServer(): Promise<{ url: string; stop(): Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  if (await isListening("127.0.0.1", 5432))
    return { url: "postgresql://postgres@127.0.0.1:5432/postgres", stop: async () => {} };
  return startEmbeddedPostgres(path.join(repoRoot, ".omnihall/bench-postgres"));
}

async function freshDatabase(
  adminUrl: string,
  service: string,
  migrations: { schemaPath: string; migrationsDir: string },
) {
  const url = serviceDatabaseUrl(adminUrl, `bench-${service}`);
  await dropDatabase(adminUrl, `omnihall_bench_${service}`);
  await migrateDeploy({ ...migrations, databaseUrl: url });
  return url;
}

interface Figures {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(
  url: string,
  pathFor: (i: number) => string,
  headersFor: (i: number) => Record<string, string>,
): Promise<Figures> {
  let i = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [
      {
        setupRequest: (request) => {
          i += 1;
          return { ...request, method: "GET", path: pathFor(i), headers: { ...request.headers, ...headersFor(i) } };
        },
      },
    ],
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

const postgres = await postgresServer();
const customerUrl = await freshDatabase(postgres.url, "customer", customerMigrations);
const billingUrl = await freshDatabase(postgres.url, "billing", billingMigrations);
await seedCustomer(customerUrl);
const seedDb = createBillingDb(billingUrl, 2);
// Only the subscribers the load uses: seeding all 3,000 in one transaction outlasts its timeout on a busy machine.
await seedBilling(seedDb, { subscribers: SUBSCRIBERS });
await seedDb.$disconnect();

const bus = new InProcessBus({ logger: silent });
const customer = await startCustomerService({
  config: loadCustomerConfig({ DATABASE_URL: customerUrl, PORT: "0" }),
  bus,
  logger: silent,
});
const billing = await startBillingService({
  config: loadBillingConfig({ DATABASE_URL: billingUrl, PORT: "0" }),
  bus,
  logger: silent,
});
const hallConfig = loadWebHallConfig({
  CUSTOMER_ADDRESS: customer.address,
  BILLING_ADDRESS: billing.address,
  // The load comes from 200 subscribers at thousands of requests a second: no per-party limit here.
  RATE_LIMIT_PER_MINUTE: "0",
});
const clients = createWebHallClients(hallConfig);
const hall = await buildWebHall({ config: hallConfig, clients, logger: silent });
const hallUrl = await hall.listen({ host: "127.0.0.1", port: 0 });

// Sessions as the hall would issue them after an SMS login: the benchmark is about the balance query.
const subscribers = demoSubscribers().slice(0, SUBSCRIBERS);
const tokens = subscribers.map(
  (s) => hall.sessions.issue({ kind: "subscriber", subscriberId: s.subscriberId, msisdn: s.msisdn }).token,
);

const pool = new pg.Pool({ connectionString: billingUrl, max: 10 });
const baseline = Fastify();
baseline.get<{ Params: { id: string } }>("/balance/:id", async (request) => {
  const { rows } = await pool.query("SELECT balance_fen, updated_at FROM account WHERE subscriber_id = $1", [
    request.params.id,
  ]);
  return { balanceFen: Number(rows[0].balance_fen), updateTime: rows[0].updated_at };
});
const baselineUrl = await baseline.listen({ host: "127.0.0.1", port: 0 });

console.log(`Balance query, ${CONNECTIONS} connections, ${DURATION_S} s each, ${SUBSCRIBERS} subscribers`);
const base = await load(
  baselineUrl,
  (i) => `/balance/${subscribers[i % SUBSCRIBERS]!.subscriberId}`,
  () => ({}),
);
const full = await load(
  hallUrl,
  () => "/v1/me/balance",
  (i) => ({ authorization: `Bearer ${tokens[i % SUBSCRIBERS]}` }),
);

const row = (name: string, f: Figures) =>
  `${name.padEnd(46)} ${f.requestsPerSecond.toFixed(0).padStart(8)} req/s   p50 ${String(f.p50).padStart(4)} ms   p99 ${String(f.p99).padStart(4)} ms   errors ${f.errors}`;
console.log(row("baseline: fastify + SQL", base));
console.log(row("web hall: HTTP → gRPC → billing → PostgreSQL", full));
console.log(
  `ratio (web hall / baseline): ${(full.requestsPerSecond / base.requestsPerSecond).toFixed(2)} of the throughput`,
);

await hall.close();
await baseline.close();
closeWebHallClients(clients);
await pool.end();
await customer.stop();
await billing.stop();
await bus.close();
await postgres.stop();
process.exit(0);
