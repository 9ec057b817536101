import { omnihallProject } from "@omnihall/vitest-config";

export default omnihallProject("@omnihall/batching");
