export { isListening, freePort, waitForPort } from "./ports.js";
export { startEmbeddedPostgres, type RunningPostgres } from "./postgres.js";
export { waitForPostgres } from "./postgres-ready.js";
export {
  findNatsServer,
  startNatsServer,
  startNatsCluster,
  NATS_INSTALL_HINT,
  type NatsClusterNode,
  type RunningNats,
  type RunningNatsCluster,
} from "./nats.js";
export { repoRoot } from "./repo-root.js";
