import { createRequire } from "node:module";
import path from "node:path";

/**
 * The folder holding the .proto sources (the contract), which gRPC server reflection serves. Generated
 * TypeScript is imported by path, e.g. `@omnihall/proto/omnihall/billing/v1/billing`. Resolved through the
 * package so it holds in bundled apps too.
 */
export const protoRoot = path.resolve(
  path.dirname(createRequire(import.meta.url).resolve("@omnihall/proto/package.json")),
  "../../proto",
);
