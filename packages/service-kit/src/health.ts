import type { Server, ServerWritableStream, ServiceDefinition, UntypedHandleCall } from "@grpc/grpc-js";
import { HealthImplementation, type ServingStatus } from "grpc-health-check";

type WatchCall = ServerWritableStream<unknown, unknown>;

/**
 * gRPC health (grpc.health.v1) for the overall server ("") and each served proto service. Watch streams are
 * tracked so that stopping can end them after telling them NOT_SERVING: otherwise they would hold a graceful
 * server shutdown open until its timeout.
 */
export class ServiceHealth {
  private readonly health = new HealthImplementation();
  private readonly watches = new Set<WatchCall>();

  constructor(
    server: Server,
    private readonly serviceNames: readonly string[],
  ) {
    this.set("NOT_SERVING");
    this.health.addToServer({
      addService: (definition, implementation) => {
        const watch = implementation.watch as (call: WatchCall) => void;
        server.addService(definition as unknown as ServiceDefinition, {
          ...implementation,
          watch: ((call: WatchCall) => {
            this.watches.add(call);
            call.on("cancelled", () => this.watches.delete(call));
            watch(call);
          }) as UntypedHandleCall,
        });
      },
    });
  }

  serving(): void {
    this.set("SERVING");
  }

  stopping(): void {
    this.set("NOT_SERVING");
    for (const call of this.watches) call.end();
    this.watches.clear();
  }

  private set(status: ServingStatus): void {
    for (const name of ["", ...this.serviceNames]) this.health.setStatus(name, status);
  }
}
