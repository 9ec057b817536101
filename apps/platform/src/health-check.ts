import { credentials, makeGenericClientConstructor, type ServiceError } from "@grpc/grpc-js";
import type { ServiceDefinition } from "@grpc/grpc-js";
import { service as healthService } from "grpc-health-check";

type CheckMethod = (
  request: { service: string },
  options: { deadline: Date },
  callback: (error: ServiceError | null, response: { status: string }) => void,
) => void;

const HealthClient = makeGenericClientConstructor(healthService as unknown as ServiceDefinition, "Health");

/** Asks a gRPC server for its overall health (grpc.health.v1 Check with service ""). */
export function checkHealth(address: string, deadlineMs = 2_000): Promise<string> {
  const client = new HealthClient(address, credentials.createInsecure());
  return new Promise<string>((resolve) => {
    const { check } = client as unknown as { check: CheckMethod };
    check.call(client, { service: "" }, { deadline: new Date(Date.now() + deadlineMs) }, (error, response) =>
      resolve(error ? `UNREACHABLE (${error.details})` : response.status),
    );
  }).finally(() => client.close());
}
