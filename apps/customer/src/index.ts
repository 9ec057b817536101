import { fileURLToPath } from "node:url";

export { loadCustomerConfig, customerConfigSchema, type CustomerConfig } from "./config.js";
export {
  startCustomerService,
  customerHandlers,
  type StartCustomerServiceOptions,
  type RunningCustomerService,
} from "./service.js";
export { customerPolicy } from "./policy.js";
export { terminalPolicy } from "./terminals/terminal-policy.js";
export { demoIdDocumentNumber } from "./terminals/id-documents.js";
export { seedCustomer } from "./subscribers/seed-subscribers.js";
export { LoginCodeIssued } from "./login/login-events.js";
export { normalizeMsisdn } from "./subscribers/msisdn.js";
export { PROVINCE_CODES } from "./subscribers/provinces.js";

/** Where the customer service's schema and migrations live, for migrateDeploy. */
export const customerMigrations = {
  schemaPath: fileURLToPath(new URL("../prisma/schema.prisma", import.meta.url)),
  migrationsDir: fileURLToPath(new URL("../prisma/migrations", import.meta.url)),
};
export { agentPolicy } from "./agents/agent-policy.js";
export { registrationPolicy } from "./registration/registration-policy.js";
export { SubscriberChanged, SubscriberRegistered } from "./registration/registration-events.js";
export { seedAgents, DEMO_AGENTS, DEMO_AGENT_PIN } from "./agents/seed-agents.js";
export type { HandheldRegistry } from "./agents/handheld-registry.js";
export { operatorPolicy } from "./operators/operator-policy.js";
export { seedOperators, DEMO_OPERATORS, DEMO_OPERATOR_PASSWORD } from "./operators/seed-operators.js";
