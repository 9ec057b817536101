import type { Metadata } from "@grpc/grpc-js";
import type { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { ActingParty } from "./access/acting-party.js";
import type { CallPolicy } from "./access/policy.js";
import type { Logger } from "./logger.js";

/** One method of a ts-proto (outputServices=grpc-js) service definition, e.g. `CustomerServiceService.getSubscriber`. */
export interface MethodDefinition {
  readonly path: string;
  readonly requestStream: boolean;
  readonly responseStream: boolean;
  readonly requestSerialize: (value: never) => Buffer;
  readonly requestDeserialize: (bytes: Buffer) => unknown;
  readonly responseSerialize: (value: never) => Buffer;
  readonly responseDeserialize: (bytes: Buffer) => unknown;
}

/** A ts-proto service definition such as `CustomerServiceService`. */
export type ServiceDefinition = { readonly [method: string]: MethodDefinition };

export type RequestOf<M> = M extends { requestDeserialize: (bytes: Buffer) => infer Request } ? Request : never;
export type ResponseOf<M> = M extends { responseDeserialize: (bytes: Buffer) => infer Response } ? Response : never;

/** What a handler knows about the call it serves. */
export interface CallContext {
  /** Correlates logs across services: the caller's `x-request-id`, or a fresh one. */
  requestId: string;
  /** The authenticated caller, e.g. "web-hall". */
  caller: string;
  /**
   * Whom the caller acts for (signed by it, checked by the kit): a subscriber, agent, operator or kiosk device.
   * Undefined for a domain service calling on its own behalf. Enforce it with `subscriberInScope` and friends.
   */
  party: ActingParty | undefined;
  /** The channel the call came through: a hall's own (never what its request claims), else the request's. */
  channel: Channel;
  /** The full method name, e.g. "omnihall.customer.v1.CustomerService/GetSubscriber". */
  rpc: string;
  /** Logger bound to requestId, caller and rpc. */
  log: Logger;
  /** When the caller stops waiting; undefined when it set no deadline. */
  deadline: Date | undefined;
  /** Aborts when the caller cancels or the deadline passes: pass it to slow work so it stops too. */
  signal: AbortSignal;
  /** The call's incoming metadata. */
  metadata: Metadata;
}

/** The async function that serves one method; its shape follows the method's streaming. */
export type Handler<M extends MethodDefinition> = M["requestStream"] extends true
  ? M["responseStream"] extends true
    ? (requests: AsyncIterable<RequestOf<M>>, ctx: CallContext) => AsyncIterable<ResponseOf<M>>
    : (requests: AsyncIterable<RequestOf<M>>, ctx: CallContext) => Promise<ResponseOf<M>>
  : M["responseStream"] extends true
    ? (request: RequestOf<M>, ctx: CallContext) => AsyncIterable<ResponseOf<M>>
    : (request: RequestOf<M>, ctx: CallContext) => Promise<ResponseOf<M>>;

/** One handler per method of a service, e.g. `ServiceHandlers<typeof CustomerServiceService>`. */
export type ServiceHandlers<D extends ServiceDefinition> = { [K in keyof D]: Handler<D[K]> };

/** A proto service, the handlers that implement it and who may call each method. */
export interface ServiceRegistration<D extends ServiceDefinition> {
  definition: D;
  handlers: ServiceHandlers<D>;
  policy: CallPolicy<D>;
}

/** "omnihall.customer.v1.CustomerService", read from the definition's method paths. */
export function serviceNameOf(definition: ServiceDefinition): string {
  const first = Object.values(definition)[0];
  if (!first) throw new Error("A service definition needs at least one method");
  return first.path.slice(1, first.path.lastIndexOf("/"));
}
