// A tiny app for signals.integration.test.ts: installs the signal handlers, says "ready", and stops either
// cleanly after a short drain ("clean") or never ("hang").
import { setTimeout as sleep } from "node:timers/promises";
import { createLogger } from "../logger.js";
import { installSignalHandlers } from "../signals.js";

const mode = process.argv[2];
const logger = createLogger("signal-app");
installSignalHandlers(async () => {
  if (mode === "hang") await new Promise(() => {});
  await sleep(100);
  logger.info("drained");
}, logger);
// Keeps the process alive until a signal arrives, as a server would.
setInterval(() => {}, 1_000);
logger.info("ready");
