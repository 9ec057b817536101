import pg from "pg";
import { SpanKind, failSpan, gauge, onScrape, startSpan, tracingEnabled } from "@omnihall/telemetry";

const connections = gauge({
  name: "omnihall_db_pool_connections",
  help: "Connections of the services' database pools, by state (busy: checked out; idle: open, waiting for work).",
  labelNames: ["database", "state"],
});
const waiting = gauge({
  name: "omnihall_db_pool_waiting_requests",
  help: "Queries and transactions waiting for a free connection of the pool.",
  labelNames: ["database"],
});
const maxConnections = gauge({
  name: "omnihall_db_pool_max_connections",
  help: "The most connections the pool opens.",
  labelNames: ["database"],
});

/** The live pools per database (a process may hold several for one database: a service and its seed). */
const pools = new Map<string, Set<pg.Pool>>();

// Read at scrape time: pg keeps the counts, and a scrape every few seconds costs nothing per query.
onScrape(() => {
  for (const [database, live] of pools) {
    let total = 0;
    let idle = 0;
    let queued = 0;
    let max = 0;
    for (const pool of live) {
      total += pool.totalCount;
      idle += pool.idleCount;
      queued += pool.waitingCount;
      max += pool.options.max ?? 10;
    }
    connections.set({ database, state: "busy" }, total - idle);
    connections.set({ database, state: "idle" }, idle);
    waiting.set({ database }, queued);
    maxConnections.set({ database }, max);
  }
});

function watch(database: string, pool: pg.Pool): () => void {
  const live = pools.get(database) ?? new Set();
  pools.set(database, live);
  live.add(pool);
  return () => {
    live.delete(pool);
    if (live.size > 0) return;
    pools.delete(database);
    connections.remove({ database, state: "busy" });
    connections.remove({ database, state: "idle" });
    waiting.remove({ database });
    maxConnections.remove({ database });
  };
}

type QueryArguments = unknown[];
const MAX_STATEMENT_LENGTH = 2_000;

/**
 * A pg client whose queries are client spans (statement, database) when tracing is on, so a trace shows where
 * a call's time went in PostgreSQL. With tracing off a query costs one flag check.
 */
function tracedClientClass(database: string): typeof pg.Client {
  const query = pg.Client.prototype.query as (...args: QueryArguments) => unknown;
  class TracedClient extends pg.Client {}
  TracedClient.prototype.query = function tracedQuery(this: pg.Client, ...args: QueryArguments) {
    if (!tracingEnabled()) return query.apply(this, args);
    const first = args[0] as string | { text?: string } | undefined;
    const text = (typeof first === "string" ? first : first?.text) ?? "";
    const operation = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? "QUERY";
    const span = startSpan(`${operation} ${database}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        "db.system.name": "postgresql",
        "db.namespace": database,
        "db.operation.name": operation,
        "db.query.text": text.length > MAX_STATEMENT_LENGTH ? `${text.slice(0, MAX_STATEMENT_LENGTH)}…` : text,
      },
    })!;
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === "function") {
      // pg's callback form (the pool uses it for pool.query).
      args[last] = (error: Error | undefined, result: unknown) => {
        if (error) failSpan(span, error);
        span.end();
        (callback as (error: Error | undefined, result: unknown) => void)(error, result);
      };
      return query.apply(this, args);
    }
    const result = query.apply(this, args) as Promise<unknown> | undefined;
    if (!result || typeof result.then !== "function") {
      span.end();
      return result;
    }
    return result.then(
      (value) => {
        span.end();
        return value;
      },
      (error: unknown) => {
        failSpan(span, error);
        span.end();
        throw error;
      },
    );
  } as typeof pg.Client.prototype.query;
  return TracedClient;
}

/**
 * The pg pool behind a service's Prisma client: its use is exported as metrics (busy, idle, waiting, max) under
 * the database's name while it is open, and its queries are traced.
 */
export function measuredPool(databaseUrl: string, database: string, max: number | undefined): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max, Client: tracedClientClass(database) });
  // An idle connection the server closed (restart, dropped database) is discarded by pg and replaced on demand;
  // without a listener its error would crash the process. Prisma's adapter adds its own only once it first
  // connects, which a service answering only prepared reads (see preparedRead) may never do.
  pool.on("error", () => undefined);
  const unwatch = watch(database, pool);
  const end = pool.end.bind(pool) as () => Promise<void>;
  pool.end = (() => {
    unwatch();
    return end();
  }) as typeof pool.end;
  return pool;
}
