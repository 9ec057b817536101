import { omnihallProject } from "@omnihall/vitest-config";

export default omnihallProject("@omnihall/ops-console");
