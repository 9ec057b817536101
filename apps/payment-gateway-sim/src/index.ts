export { startGatewaySimulator, type GatewaySimulator, type SimulatorOptions } from "./simulator.js";
export type { GatewayName, NotifyBehaviour, StatementEdit, Trade } from "./trades.js";
export type { Delivery } from "./notifier.js";
export { SIMULATOR_KEYS } from "./development-keys.js";
export type { CallCounts, CallLog, TradeOperation } from "./call-log.js";
