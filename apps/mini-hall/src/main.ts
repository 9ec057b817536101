import { installSignalHandlers } from "@omnihall/service-kit";
import { loadMiniHallConfig, startMiniHall } from "./index.js";

const hall = await startMiniHall({ config: loadMiniHallConfig() });
installSignalHandlers(() => hall.stop(), hall.logger);
