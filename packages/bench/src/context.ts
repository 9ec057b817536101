import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { HttpLoadFigures, HttpLoadSettings } from "./processes/http-load.js";
import type { GrpcLoadSettings } from "./processes/grpc-load.js";
import type { MeasuredCalls } from "@omnihall/testkit/bench";
import { benchDir, runLoad, spawnApp, type AppProcess, type BenchDatabases, type SpawnOptions } from "./stack.js";
import type { ResultRow } from "./table.js";

/**
 * The demo subscribers billing's seed gives an account (and the order load uses). All 3,000, with their bills and
 * points, overran the seed's transaction time on a busy machine.
 */
export const BILLED_SUBSCRIBERS = 600;

export interface BenchSettings {
  /** Seconds each HTTP load runs. */
  httpDurationS: number;
  /** Seconds each gRPC read load runs. */
  grpcDurationS: number;
  /** HTTP connections / gRPC calls in flight. */
  concurrency: number;
  /** Apps run with --cpu-prof (BENCH_PROFILE=web-hall,billing or "all"). */
  profile: ReadonlySet<string>;
  /** Row groups to run (BENCH_ONLY=read,orders,notify,usage,sms); all by default. */
  only: ReadonlySet<string>;
}

/** What every row group gets: the run's settings, databases, helper bundles and a place to put its rows. */
export interface BenchContext {
  settings: BenchSettings;
  runId: string;
  natsUrl: string;
  databases: BenchDatabases;
  rows: ResultRow[];
  /** Starts an app from its built bundle (apps/<app>/dist/main.js), or a helper, in its own process. */
  start(app: string, env: Record<string, string>, options?: Partial<SpawnOptions>): Promise<AppProcess>;
  helpers: Record<"baseline" | "httpLoad" | "grpcLoad", string>;
  httpLoad(settings: HttpLoadSettings): Promise<HttpLoadFigures>;
  grpcLoad(settings: Omit<GrpcLoadSettings, "runId">): Promise<MeasuredCalls>;
  /**
   * Runs `work` and says how much CPU each of `apps` spent per call meanwhile (`calls` taken from its result): a
   * figure that, unlike throughput, holds on a machine others are also using.
   */
  cpuPerCall<T>(
    apps: readonly AppProcess[],
    work: () => Promise<T>,
    calls: (result: T) => number,
  ): Promise<[T, string]>;
  /** Stops every process the context started that is still running. */
  stopAll(): Promise<void>;
}

export function createContext(
  fields: Pick<BenchContext, "settings" | "runId" | "natsUrl" | "databases" | "helpers">,
  appScript: (app: string) => string,
): BenchContext {
  const running: AppProcess[] = [];
  let settingsFiles = 0;
  const settingsFile = async (settings: unknown) => {
    const file = path.join(benchDir, `load-${fields.runId}-${++settingsFiles}.json`);
    await writeFile(file, JSON.stringify(settings));
    return file;
  };
  return {
    ...fields,
    rows: [],
    async start(app, env, options = {}) {
      const started = await spawnApp({
        name: app,
        script: appScript(app),
        env,
        profile: fields.settings.profile.has(app) || fields.settings.profile.has("all"),
        ...options,
      });
      running.push(started);
      const stop = started.stop;
      started.stop = async () => {
        running.splice(running.indexOf(started), 1);
        await stop();
      };
      return started;
    },
    httpLoad: async (settings) => runLoad(fields.helpers.httpLoad, await settingsFile(settings)),
    grpcLoad: async (settings) =>
      runLoad(fields.helpers.grpcLoad, await settingsFile({ ...settings, runId: fields.runId })),
    async cpuPerCall(apps, work, calls) {
      const before = await Promise.all(apps.map((app) => app.cpuMs()));
      const result = await work();
      const after = await Promise.all(apps.map((app) => app.cpuMs()));
      const count = calls(result);
      const parts = apps.map((app, i) =>
        before[i] === undefined || after[i] === undefined
          ? `${app.name} ?`
          : `${app.name} ${(((after[i]! - before[i]!) / count) * 1000).toFixed(0)} µs`,
      );
      return [result, parts.join(", ")];
    },
    async stopAll() {
      for (const app of [...running].reverse()) await app.stop();
    },
  };
}
