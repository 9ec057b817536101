import { readdir } from "node:fs/promises";
import path from "node:path";
import { load, type PackageDefinition } from "@grpc/proto-loader";
import { protoPath as healthProtoPath } from "grpc-health-check";
import { protoRoot } from "@omnihall/proto";

let contract: Promise<PackageDefinition> | undefined;

/**
 * Every Omnihall .proto plus gRPC health, loaded once per process for server reflection (so grpcurl and
 * grpcui can describe a running service without the .proto files at hand).
 */
export function loadContract(): Promise<PackageDefinition> {
  contract ??= (async () => {
    const entries = await readdir(path.join(protoRoot, "omnihall"), { recursive: true });
    const files = entries.filter((entry) => entry.endsWith(".proto")).map((entry) => path.join("omnihall", entry));
    // health.proto sits at <dir>/health/v1/health.proto and is known by that relative name.
    const healthRoot = path.resolve(path.dirname(healthProtoPath), "../..");
    return load([...files, path.relative(healthRoot, healthProtoPath)], { includeDirs: [protoRoot, healthRoot] });
  })();
  return contract;
}
