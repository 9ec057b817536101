import { installSignalHandlers } from "@omnihall/service-kit";
import { loadWebHallConfig, startWebHall } from "./index.js";

const hall = await startWebHall({ config: loadWebHallConfig() });
installSignalHandlers(() => hall.stop(), hall.logger);
