import { z } from "zod";
import { loadConfig } from "@omnihall/config";
import { createLogger, installSignalHandlers } from "@omnihall/service-kit";
import { startGatewaySimulator } from "./simulator.js";

const config = loadConfig(
  z.object({
    HOST: z.string().default("127.0.0.1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(8095),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  }),
);
const logger = createLogger("payment-gateway-sim", { level: config.LOG_LEVEL });
const simulator = await startGatewaySimulator({ host: config.HOST, port: config.PORT });
logger.info({ url: simulator.url }, "payment gateway simulator listening");
installSignalHandlers(() => simulator.stop(), logger);
