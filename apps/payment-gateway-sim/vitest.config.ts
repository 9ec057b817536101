import { omnihallProject } from "@omnihall/vitest-config";

export default omnihallProject("@omnihall/payment-gateway-sim");
