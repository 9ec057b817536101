import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { demoSubscribers } from "@omnihall/demo-data";
import { BILLED_SUBSCRIBERS, type BenchContext } from "../context.js";
import type { GrpcScenario } from "../processes/grpc-load.js";
import type { AppProcess } from "../stack.js";
import { ms, perSecond } from "../table.js";

/** The services the read paths (and the order saga) call, each already running from its bundle. */
export interface CoreServices {
  customer: AppProcess;
  billing: AppProcess;
  catalog: AppProcess;
}

const SESSIONS = 200;

/**
 * Logs subscribers in through the hall as a person would (code by SMS, here read from the customer service's
 * development log), so the balance load carries real session tokens, whatever form the hall gives them.
 */
async function logIn(hallUrl: string, customerLog: string, msisdns: readonly string[]): Promise<string[]> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${hallUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`POST ${path} → ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  for (const msisdn of msisdns) await post("/v1/login/codes", { msisdn });
  const codes = new Map<string, string>();
  const deadline = Date.now() + 30_000;
  while (codes.size < msisdns.length) {
    if (Date.now() > deadline) throw new Error(`only ${codes.size} login codes appeared in ${customerLog}`);
    for (const line of (await readFile(customerLog, "utf8")).split("\n")) {
      if (!line.includes("login code issued")) continue;
      const entry = JSON.parse(line) as { msisdn: string; code: string };
      codes.set(entry.msisdn, entry.code);
    }
    if (codes.size < msisdns.length) await sleep(100);
  }
  const tokens: string[] = [];
  for (const msisdn of msisdns) {
    const { token } = await post("/v1/sessions", { msisdn, code: codes.get(msisdn) });
    tokens.push(String(token));
  }
  return tokens;
}

/** Web hall balance against the bare baseline (group "web"; "read" is this and serviceReads). */
export async function webHallBalance(ctx: BenchContext, core: CoreServices): Promise<void> {
  const { settings } = ctx;
  const hall = await ctx.start(
    "web-hall",
    {
      CUSTOMER_ADDRESS: core.customer.address,
      BILLING_ADDRESS: core.billing.address,
      NATS_URL: ctx.natsUrl,
      // One load process is one client address: the per-address and per-session limits would answer most calls 429.
      RATE_LIMIT_PER_MINUTE: "0",
    },
    { http: true },
  );
  const baseline = await ctx.start(
    "baseline",
    { DATABASE_URL: ctx.databases.urlFor("billing") },
    { script: ctx.helpers.baseline, http: true },
  );
  const subscribers = demoSubscribers().slice(0, SESSIONS);
  const tokens = await logIn(
    hall.address,
    core.customer.logFile,
    subscribers.map((subscriber) => subscriber.msisdn),
  );

  // One after the other, never at once: the two share this machine's cores.
  const balanceLoad = async (connections: number) => {
    const [base, baseCpu] = await ctx.cpuPerCall(
      [baseline],
      () =>
        ctx.httpLoad({
          url: baseline.address,
          connections,
          durationS: settings.httpDurationS,
          requests: subscribers.map((subscriber) => ({ path: `/balance/${subscriber.subscriberId}` })),
        }),
      (figures) => figures.requests,
    );
    const [full, fullCpu] = await ctx.cpuPerCall(
      [hall, core.billing],
      () =>
        ctx.httpLoad({
          url: hall.address,
          connections,
          durationS: settings.httpDurationS,
          requests: tokens.map((token) => ({
            path: "/v1/me/balance",
            headers: { authorization: `Bearer ${token}` },
          })),
        }),
      (figures) => figures.requests,
    );
    return { base, full, cpu: `${fullCpu} (${baseCpu})` };
  };

  const loaded = await balanceLoad(settings.concurrency);
  const ratio = loaded.full.requestsPerSecond / loaded.base.requestsPerSecond;
  const errors = loaded.full.errors + loaded.base.errors;
  ctx.rows.push({
    path: "web hall balance vs baseline",
    figure:
      `ratio ${ratio.toFixed(2)} (${perSecond(loaded.full.requestsPerSecond)} vs ${perSecond(loaded.base.requestsPerSecond)}; ` +
      `p50 ${ms(loaded.full.p50Ms)} vs ${ms(loaded.base.p50Ms)})` +
      (errors ? `, ${errors} errors` : ""),
    target: "ratio ≥ 0.5",
    met: ratio >= 0.5 && errors === 0,
    cpu: loaded.cpu,
    settings: `autocannon, ${settings.concurrency} connections, ${settings.httpDurationS} s each, ${SESSIONS} sessions, rate limit off`,
  });
  const single = await balanceLoad(1);
  ctx.rows.push({
    path: "web hall balance, 1 connection",
    figure:
      `p50 ${ms(single.full.p50Ms)}, p99 ${ms(single.full.p99Ms)}, ${perSecond(single.full.requestsPerSecond)} ` +
      `(baseline p50 ${ms(single.base.p50Ms)})`,
    target: "p50 < 1 ms",
    met: single.full.p50Ms < 1 && single.full.errors === 0,
    cpu: single.cpu,
    settings: `autocannon, 1 connection, ${settings.httpDurationS} s`,
  });
  await baseline.stop();
  await hall.stop();
}

/** The services' hot reads straight over gRPC, from a load process (group "grpc"). */
export async function serviceReads(ctx: BenchContext, core: CoreServices): Promise<void> {
  const { settings } = ctx;
  const reads: Array<[GrpcScenario, AppProcess, number, string]> = [
    ["customer.GetSubscriber", core.customer, 5_000, "customer GetSubscriber (by MSISDN)"],
    ["billing.GetBalance", core.billing, 5_000, "billing GetBalance"],
    ["catalog.CheckEligibility", core.catalog, 5_000, "catalog CheckEligibility"],
    ["catalog.ListOfferings", core.catalog, 2_000, "catalog ListOfferings (50)"],
  ];
  for (const [scenario, service, target, path] of reads) {
    const warmupCalls = 2_000;
    const [figures, cpu] = await ctx.cpuPerCall(
      [service],
      () =>
        ctx.grpcLoad({
          scenario,
          address: service.address,
          caller: "orders",
          concurrency: settings.concurrency,
          durationS: settings.grpcDurationS,
          count: Number.MAX_SAFE_INTEGER,
          warmupCalls,
          // Only they have an account.
          ...(scenario === "billing.GetBalance" && { subscribers: BILLED_SUBSCRIBERS }),
        }),
      (measured) => measured.calls + warmupCalls,
    );
    ctx.rows.push({
      path,
      figure:
        `${perSecond(figures.perSecond)}, p50 ${ms(figures.p50Ms)}, p99 ${ms(figures.p99Ms)}` +
        (figures.failed ? `, ${figures.failed} failed` : ""),
      target: `≥ ${perSecond(target)}`,
      met: figures.perSecond >= target && figures.failed === 0,
      cpu,
      settings: `gRPC load process, concurrency ${settings.concurrency}, ${settings.grpcDurationS} s after 2,000 warm-up calls`,
    });
  }
}
