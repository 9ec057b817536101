import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { repoRoot } from "@omnihall/devstack";
import type { BenchContext } from "../context.js";
import { perSecond } from "../table.js";

/**
 * Runs an app's own benchmark (apps/<app>/bench/<file>) in its own process, echoing what it prints, and returns
 * its output. These still start their service inside the benchmark process; the engineer who owns each write
 * path keeps its bench file, and this harness reads the figures it prints.
 */
async function runAppBench(app: string, file: string, env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join("bench", file)], {
    cwd: path.join(repoRoot, "apps", app),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
    process.stdout.write(chunk);
  });
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`apps/${app}/bench/${file} exited ${String(code)}`);
  return output;
}

const number = (text: string | undefined) => (text === undefined ? NaN : Number(text.replace(/,/g, "")));

export async function notifyDispatch(ctx: BenchContext): Promise<void> {
  const messages = process.env.BENCH_MESSAGES ?? "3000";
  const output = await runAppBench("notify", "dispatch.bench.ts", { BENCH_MESSAGES: messages });
  const rates = [...output.matchAll(/^(dispatch \([^)]*\)).*?([\d,]+)\/s/gm)].map(([, label, rate]) => ({
    label: label!,
    rate: number(rate),
  }));
  const best = Math.max(...rates.map((entry) => entry.rate));
  ctx.rows.push({
    path: "notify dispatch to a local SMSC",
    figure: rates.length
      ? rates.map((entry) => `${entry.label.replace(/^dispatch /, "")} ${perSecond(entry.rate)}`).join(", ")
      : "no figure printed (see above)",
    target: "≥ 2,000 SMS/s",
    met: rates.length ? best >= 2_000 : undefined,
    settings: `apps/notify/bench (service in the bench process), ${messages} SMS per run, SMPP to the simulator`,
  });
}

export async function usageIngest(ctx: BenchContext): Promise<void> {
  const output = await runAppBench("usage", "ingest.bench.ts", {});
  const rate = number(/=>\s*([\d,]+) records\/s/.exec(output)?.[1]);
  ctx.rows.push({
    path: "usage ingest with thresholds",
    figure: Number.isFinite(rate) ? `${perSecond(rate)} records` : "no figure printed (see above)",
    target: "≥ 50,000 records/s",
    met: Number.isFinite(rate) ? rate >= 50_000 : undefined,
    settings: "apps/usage/bench (service in the bench process), 300,000 records, 5,000 subscribers, 4 gRPC streams",
  });
}
