export { loadConfig, ConfigError, developmentCredentials, type ConfigProblem } from "./load-config.js";
export {
  nodeEnv,
  logLevel,
  LOG_LEVELS,
  type LogLevel,
  host,
  port,
  databaseUrl,
  LOCAL_DATABASE_URL,
  natsUrl,
  natsReplicas,
  LOCAL_NATS_URL,
  callerKeys,
  callerKey,
  type CallerKeys,
  KNOWN_CALLERS,
  developmentCallerKey,
  serviceEnv,
  callerEnv,
  telemetryEnv,
  retentionDays,
} from "./env-pieces.js";
export { loadTransportSecurity, type TransportSecurity } from "./transport-security.js";
