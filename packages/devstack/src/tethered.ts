import { spawn, type ChildProcess } from "node:child_process";

/** Who a tethered server runs as (root's PostgreSQL runs as `postgres`); unset: ourselves. */
export interface RunAs {
  uid?: number;
  gid?: number;
}

interface TetheredCommand extends RunAs {
  command: string;
  args: string[];
  cwd: string;
  /** How the server is asked to stop (PostgreSQL: SIGINT, its fast shutdown; nats-server: SIGTERM). */
  stopSignal: NodeJS.Signals;
}

/**
 * The tether, run by `node -e` with a TetheredCommand as JSON: like PR_SET_PDEATHSIG, portably. Its stdin is a
 * pipe whose other end only the starting process holds, so it reads end-of-file when that process exits for any
 * reason, even SIGKILL; then, or on SIGINT/SIGTERM/SIGHUP, it asks the server to stop, and it exits with the
 * server's status.
 */
const TETHER = `
const { spawn } = require("node:child_process");
const { command, args, uid, gid, cwd, stopSignal } = JSON.parse(process.argv[1]);
const server = spawn(command, args, { uid, gid, cwd, stdio: ["ignore", "inherit", "inherit"] });
let stopping = false;
const stop = () => {
  if (stopping || server.exitCode !== null || server.signalCode !== null) return;
  stopping = true;
  server.kill(stopSignal);
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, stop);
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.on("error", stop);
process.stdin.resume();
server.on("error", (error) => {
  console.error("could not start " + command + ": " + error.message);
  process.exit(1);
});
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
`;

/**
 * Starts a development server (PostgreSQL, nats-server) the platform stops last, in a process group of its own:
 * a Ctrl-C meant for the apps reaches it only when the returned process is signalled, after the apps using it have
 * drained — and it stops by itself the moment this process is gone, however it went, so none is left behind.
 * Signal the returned process to stop the server; it exits when the server has.
 */
export function spawnTethered(
  options: TetheredCommand & {
    /** Where the server's output goes: a file descriptor (a log file) or nowhere. */
    output: number | "ignore";
  },
): ChildProcess {
  const { output, ...command } = options;
  return spawn(process.execPath, ["-e", TETHER, JSON.stringify(command)], {
    cwd: options.cwd,
    detached: true,
    stdio: ["pipe", output, output],
  });
}
