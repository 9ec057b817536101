import { installSignalHandlers } from "@omnihall/service-kit";
import { loadOpsConsoleConfig, startOpsConsole } from "./index.js";

const hall = await startOpsConsole({ config: loadOpsConsoleConfig() });
installSignalHandlers(() => hall.stop(), hall.logger);
