/**
 * What the hall kit adds per request: the same trivial route on bare fastify and on `buildHallApp` with a bearer
 * session (request id, helmet, session verification and revocation check, rate limit, error schemas), loaded
 * with autocannon one after the other. Prints req/s and p50/p99 of both. A benchmark: it never fails on speed.
 */
import { createLogger } from "@omnihall/service-kit";
import autocannon from "autocannon";
import Fastify from "fastify";
import { buildHallApp } from "../src/hall-app.js";
import { callOptions } from "../src/requests/call-options.js";
import { MemorySessionRevocations } from "../src/sessions/revocations.js";
import { SessionTokens } from "../src/sessions/session-tokens.js";
import { partyOf, requireSession } from "../src/sessions/sessions-plugin.js";

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const silent = createLogger("bench", { level: "silent" });

const bare = Fastify();
bare.get("/v1/me/balance", async () => ({ balanceFen: 5000 }));
const bareUrl = await bare.listen({ host: "127.0.0.1", port: 0 });

const tokens = new SessionTokens({
  secret: "Zt8q1xN3rK7mB2cY5wH9pL0sD4fG6jAeT",
  issuer: "web-hall",
  kinds: ["subscriber"],
  ttlSeconds: 3600,
  maxLifetimeSeconds: 7200,
  revocations: new MemorySessionRevocations({ maxLifetimeSeconds: 7200 }),
});
const hall = await buildHallApp({
  name: "web-hall",
  logger: silent,
  sessions: { tokens },
  openapi: { title: "bench", version: "1" },
  rateLimit: { max: 1_000_000_000 },
});
hall.get(
  "/v1/me/balance",
  {
    onRequest: requireSession("subscriber"),
    schema: { response: { 200: { type: "object", properties: { balanceFen: { type: "integer" } } } } },
  },
  async (request) => {
    callOptions(request);
    return { balanceFen: partyOf(request, "subscriber").subscriberId.length };
  },
);
const hallUrl = await hall.listen({ host: "127.0.0.1", port: 0 });
const sessionTokens = Array.from(
  { length: 200 },
  (_, i) =>
    tokens.issue({ kind: "subscriber", subscriberId: `sub_${i}`, msisdn: `138${String(i).padStart(8, "0")}` }).token,
);

async function load(url: string, headersFor: (i: number) => Record<string, string>) {
  let i = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    requests: [
      {
        setupRequest: (request) => {
          i += 1;
          return { ...request, path: "/v1/me/balance", headers: { ...request.headers, ...headersFor(i) } };
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bad: result.non2xx + result.errors,
  };
}

const base = await load(bareUrl, () => ({}));
const kit = await load(hallUrl, (i) => ({ authorization: `Bearer ${sessionTokens[i % sessionTokens.length]}` }));
const row = (name: string, f: typeof base) =>
  `${name.padEnd(34)} ${f.rps.toFixed(0).padStart(7)} req/s  p50 ${f.p50} ms  p99 ${f.p99} ms  non-2xx ${f.bad}`;
console.log(`Hall kit overhead, ${CONNECTIONS} connections, ${DURATION_S} s each`);
console.log(row("bare fastify route", base));
console.log(row("hall kit route (bearer session)", kit));
console.log(`ratio: ${(kit.rps / base.rps).toFixed(2)} of bare fastify's throughput`);
await hall.close();
await bare.close();
