/**
 * `npm run bench`: the platform as it is deployed — every service and hall from its built bundle
 * (apps/<app>/dist/main.js) in its own process, on fresh databases — with load from separate processes and a bare
 * fastify + pg baseline in the same run. Prints one table with each issue-8 target beside the figure measured.
 * Benchmarks print; they never fail on speed.
 *
 *     npm run bench                                 # builds first
 *     BENCH_ONLY=read BENCH_PROFILE=web-hall,billing npm run bench   # groups: read (= web, grpc), orders, notify, usage, sms
 *     BENCH_ONLY=campaign npm run bench               # opt-in: issue 13's 1,000,000-subscriber campaign
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { billingMigrations, createBillingDb, seedBilling } from "@omnihall/billing";
import { catalogMigrations, seedCatalog } from "@omnihall/catalog";
import { customerMigrations, seedCustomer } from "@omnihall/customer";
import { migrateDeploy } from "@omnihall/db";
import { repoRoot } from "@omnihall/devstack";
import { BILLED_SUBSCRIBERS, createContext, type BenchSettings } from "./context.js";
import { campaignMillion } from "./rows/campaign.js";
import { ordersSaga } from "./rows/orders.js";
import { serviceReads, webHallBalance } from "./rows/read-paths.js";
import { smsHallMo } from "./rows/sms-hall.js";
import { notifyDispatch, usageIngest } from "./rows/write-benches.js";
import { benchDir, BenchDatabases, bundleHelpers, profilesDir, startInfrastructure } from "./stack.js";
import { formatTable } from "./table.js";

const list = (value: string | undefined) =>
  new Set(
    (value ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean),
  );
const settings: BenchSettings = {
  httpDurationS: Number(process.env.BENCH_DURATION_S ?? 8),
  grpcDurationS: Number(process.env.BENCH_GRPC_DURATION_S ?? 5),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 32),
  profile: list(process.env.BENCH_PROFILE),
  only: list(process.env.BENCH_ONLY ?? "read,orders,notify,usage,sms"),
};
const appScript = (app: string) => path.join(repoRoot, "apps", app, "dist", "main.js");
const missing = ["customer", "billing", "catalog", "web-hall", "orders", "notify", "usage", "sms-hall"].filter(
  (app) => !existsSync(appScript(app)),
);
if (missing.length > 0) throw new Error(`no built bundle for ${missing.join(", ")}: run \`npm run build\` first`);

const cpus = os.cpus();
const machine =
  `${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ` +
  `${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`;
console.log(`Omnihall benchmarks, deployment-shaped: every app from its bundle in its own process.`);
console.log(`machine: ${machine}`);

await mkdir(benchDir, { recursive: true });
const infrastructure = await startInfrastructure();
const runId = randomBytes(3).toString("hex");
const databases = new BenchDatabases(infrastructure.postgresUrl, runId);
const ctx = createContext(
  { settings, runId, natsUrl: infrastructure.natsUrl, databases, helpers: await bundleHelpers() },
  appScript,
);
console.log(`${infrastructure.describe}; databases omnihall_bench_*_${runId}; app logs in ${benchDir}/logs`);

try {
  const seedStarted = performance.now();
  const [customerUrl, billingUrl, catalogUrl] = ["customer", "billing", "catalog"].map((s) => databases.urlFor(s));
  await Promise.all([
    migrateDeploy({ ...customerMigrations, databaseUrl: customerUrl! }),
    migrateDeploy({ ...billingMigrations, databaseUrl: billingUrl! }),
    migrateDeploy({ ...catalogMigrations, databaseUrl: catalogUrl! }),
  ]);
  const billingDb = createBillingDb(billingUrl!, 2);
  // One at a time: seeds write in long transactions, which time out when they share the two cores.
  await seedCustomer(customerUrl!);
  // Billing seeds in one interactive transaction with Prisma's 5 s limit, which a busy machine can overrun; it
  // rolls back whole, so trying again is safe.
  for (let attempt = 1; ; attempt++) {
    try {
      await seedBilling(billingDb, { subscribers: BILLED_SUBSCRIBERS });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      console.log(`billing seed did not finish in its transaction's time (${String(error).slice(0, 80)}…); again`);
    }
  }
  await seedCatalog(catalogUrl!);
  await billingDb.$disconnect();
  console.log(`demo data migrated and seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);

  const common = { NATS_URL: infrastructure.natsUrl };
  const core = {
    customer: await ctx.start("customer", { ...common, DATABASE_URL: customerUrl!, LOGIN_CODE_LOG: "true" }),
    billing: await ctx.start("billing", { ...common, DATABASE_URL: billingUrl! }),
    catalog: await ctx.start("catalog", { ...common, DATABASE_URL: catalogUrl! }),
  };
  // A group that fails is a row saying so; the others still measure and the table still prints.
  const group = async (names: readonly string[], run: () => Promise<void>) => {
    if (!names.some((name) => settings.only.has(name))) return;
    try {
      await run();
    } catch (error) {
      console.error(`bench group ${names[0]} failed:`, error);
      const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 120);
      ctx.rows.push({ path: `${names[0]} (group failed)`, figure: reason, target: "—", settings: "see the log above" });
    }
  };
  await group(["web", "read"], () => webHallBalance(ctx, core));
  await group(["grpc", "read"], () => serviceReads(ctx, core));
  await group(["orders"], () => ordersSaga(ctx, core));
  // The core services idle meanwhile; these benchmarks start their own service.
  await group(["notify"], () => notifyDispatch(ctx));
  await group(["usage"], () => usageIngest(ctx));
  // The SMS hall and notify from their bundles, calling customer and billing.
  await group(["sms"], () => smsHallMo(ctx, core));
  // Opt-in (not in the default groups): seeding a million subscribers' facts alone takes longer than the rest.
  await group(["campaign"], () => campaignMillion(ctx, core));
} finally {
  await ctx.stopAll();
  await databases.dropAll();
  await infrastructure.stop();
}

console.log(`\nmachine: ${machine}`);
console.log(formatTable(ctx.rows));
if (process.env.BENCH_MARKDOWN) console.log(`\n${formatTable(ctx.rows, true)}`);
if (settings.profile.size > 0) console.log(`\nCPU profiles (open in Chrome DevTools): ${profilesDir}`);
// The migration engine leaves a timer running after it is done.
process.exit(0);
