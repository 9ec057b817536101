import { createLogger, installSignalHandlers } from "@omnihall/service-kit";
import { startSmsHall } from "./app.js";
import { loadSmsHallConfig } from "./config.js";

const config = loadSmsHallConfig();
const logger = createLogger("sms-hall", { level: config.LOG_LEVEL });
const hall = await startSmsHall({ config, logger });
logger.info({ webhook: `${hall.url}/v1/mo` }, "SMS hall listening");
installSignalHandlers(hall.stop, logger);
