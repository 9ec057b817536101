import { fileURLToPath } from "node:url";

/** The repository's top folder (this file sits at packages/devstack/src or packages/devstack/dist). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
