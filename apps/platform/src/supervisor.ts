import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { SUPERVISED_VARIABLE } from "@omnihall/service-kit";
import type { Logger } from "pino";

/** The first restart waits this long; each crash in a row doubles it, up to MAX_BACKOFF_MS. */
const FIRST_BACKOFF_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;
/** An app that ran this long before dying crashed afresh: its backoff starts over. */
const STABLE_AFTER_MS = 30_000;
/** How long an app may take to drain on SIGTERM before it is killed. */
const STOP_TIMEOUT_MS = 20_000;

export interface SupervisedAppOptions {
  /** Prefix of every line it writes, and its name in the supervisor's own lines. */
  name: string;
  /** The app's entry (its `src/main.ts`: the same main a deployment's bundle is built from). */
  entry: string;
  env: NodeJS.ProcessEnv;
  /** True once the app serves (gRPC health SERVING, or HTTP /healthz answering). */
  ready(): Promise<boolean>;
  /** How long the first start may take before it counts as failed. */
  startTimeoutMs?: number;
  logger: Logger;
  /** Where its prefixed output goes; default this process's stdout. */
  output?: NodeJS.WritableStream;
}

export interface SupervisedApp {
  name: string;
  /** The running process's id (undefined between a crash and its restart). */
  pid(): number | undefined;
  /** How many times it has been restarted after dying. */
  restarts(): number;
  /** SIGTERM (the app drains and exits), SIGKILL after a timeout; no restart afterwards. */
  stop(): Promise<void>;
}

/**
 * Runs one app as its own process, as `npm start` does for every service and hall: its output prefixed with its
 * name, restarted with backoff (1 s, doubling to 30 s) whenever it dies — a crash, SIGKILL, an error exit — and
 * saying so; a clean stop (exit 0 after a signal) is left stopped. `stop()` sends SIGTERM. Resolves once it is ready (restarts included); rejects if it is not ready in time.
 */
export async function superviseApp(options: SupervisedAppOptions): Promise<SupervisedApp> {
  const { name, logger } = options;
  const output = options.output ?? process.stdout;
  const prefix = `${name.padEnd(12)}| `;
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  let stopping = false;
  let restarts = 0;
  let crashesInARow = 0;
  let restartTimer: NodeJS.Timeout | undefined;

  const launch = () => {
    const startedAt = Date.now();
    // Its own process group: a Ctrl-C in the terminal reaches only the platform, which stops the apps in order
    // (halls before the services they call), one SIGTERM each. Its stdin is a pipe held open by this process: if
    // the platform dies, the pipe closes and the app stops itself (installSignalHandlers).
    const process_ = spawn(process.execPath, ["--import", "tsx", options.entry], {
      env: { ...options.env, [SUPERVISED_VARIABLE]: "1" },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    child = process_;
    for (const stream of [process_.stdout, process_.stderr]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => output.write(prefix + line + "\n"));
    }
    exited = once(process_, "exit");
    process_.once("exit", (code, signal) => {
      child = undefined;
      if (stopping) return;
      // Exit code 0 is a clean stop after a signal: the terminal's Ctrl-C reaches every process of the job, and
      // `kill <pid>` asks one app to stop. Only a death (a crash, SIGKILL, an error exit) brings a restart.
      if (code === 0) {
        logger.info({ app: name }, `${name} stopped`);
        return;
      }
      crashesInARow = Date.now() - startedAt >= STABLE_AFTER_MS ? 1 : crashesInARow + 1;
      const backoffMs = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (crashesInARow - 1));
      logger.warn(
        { app: name, code, signal, restartInMs: backoffMs, restarts: restarts + 1 },
        `${name} exited unexpectedly (${signal ?? `code ${code}`}); restarting in ${backoffMs / 1000} s`,
      );
      restartTimer = setTimeout(() => {
        restartTimer = undefined;
        if (stopping) return;
        restarts += 1;
        launch();
        void waitUntilReady(options.startTimeoutMs ?? 60_000).then(
          () => logger.info({ app: name, pid: child?.pid, restarts }, `${name} is back`),
          (error: unknown) => logger.error({ app: name, err: error }, `${name} did not come back ready`),
        );
      }, backoffMs);
    });
  };

  // Waits across restarts: an app that dies while starting (a port briefly taken by an outgoing connection, a
  // service it needs still starting) is restarted with backoff like any crash, until the deadline.
  const waitUntilReady = async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (stopping) throw new Error(`${name} was stopped before it was ready`);
      if (child && (await options.ready().catch(() => false))) return;
      if (Date.now() > deadline) throw new Error(`${name} was not ready after ${timeoutMs / 1000} s`);
      await sleep(100);
    }
  };

  const stop = async () => {
    stopping = true;
    if (restartTimer) clearTimeout(restartTimer);
    const running = child;
    if (!running) return;
    running.kill("SIGTERM");
    const killer = setTimeout(() => running.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(killer);
  };

  launch();
  try {
    await waitUntilReady(options.startTimeoutMs ?? 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { name, pid: () => child?.pid, restarts: () => restarts, stop };
}
