export {
  createServiceClient,
  type CallOptions,
  type ClientClass,
  type ClientMethod,
  type RetryOptions,
  type ServiceClient,
  type ServiceClientOptions,
} from "./service-client.js";
export { ServiceCallError } from "./service-call-error.js";
export { createSubscriberWhereabouts, type WhereaboutsOptions } from "./subscriber-whereabouts.js";
export { batchedCalls, type BatchedCallsOptions } from "./batched-calls.js";
