import { installSignalHandlers } from "@omnihall/service-kit";
import { loadKioskConfig, startKiosk } from "./index.js";

const kiosk = await startKiosk({ config: loadKioskConfig() });
installSignalHandlers(() => kiosk.stop(), kiosk.logger);
