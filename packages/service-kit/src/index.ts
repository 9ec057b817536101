export {
  DomainError,
  type DomainErrorOptions,
  type FieldViolation,
  type LocalizedMessages,
  invalidArgument,
  notFound,
  alreadyExists,
  failedPrecondition,
  aborted,
  permissionDenied,
  unauthenticated,
  resourceExhausted,
  unavailable,
} from "./domain-error.js";
export { badField, requestIdRequired, requestIdReused } from "./request-errors.js";
export {
  STATUS_DETAILS_KEY,
  type ErrorDetails,
  decodeErrorDetails,
  genericMessages,
  readStatus,
  toGrpcStatus,
  toStatusMessage,
} from "./rich-status.js";
export { batchOf, type BatchHandler, type BatchRequest, type BatchResponse } from "./batch.js";
export { createLogger, flushLogger, type Logger } from "./logger.js";
export { AUTHORIZATION_KEY } from "./caller-auth.js";
export { REQUEST_ID_KEY } from "./serve-call.js";
export type {
  CallContext,
  Handler,
  MethodDefinition,
  RequestOf,
  ResponseOf,
  ServiceDefinition,
  ServiceHandlers,
  ServiceRegistration,
} from "./service-definition.js";
export { startService, type StartServiceOptions, type RunningService } from "./server.js";
export { installSignalHandlers, SUPERVISED_VARIABLE } from "./signals.js";
export { encodePageToken, decodePageToken, pageSize } from "./page-token.js";
export {
  ACTING_PARTIES_KEY,
  ACTING_PARTY_KEY,
  ACTING_PARTY_MAX_TTL_SECONDS,
  MAX_BATCH_ITEMS,
  NATIONAL_SCOPE,
  OPERATOR_ROLES,
  actingPartyKey,
  describeParty,
  signActingParties,
  signActingParty,
  verifyActingParties,
  verifyActingParty,
  type ActingParty,
  type AgentParty,
  type DeviceParty,
  type OperatorParty,
  type OperatorRole,
  type PartyKind,
  type SubscriberParty,
  type Territory,
} from "./access/acting-party.js";
export {
  CALLER_IDENTITIES,
  HALLS,
  SUBSCRIBER_HALLS,
  identityOf,
  isHall,
  type CallerIdentity,
  type KnownCaller,
} from "./access/callers.js";
export type { CallPolicy, CallRule } from "./access/policy.js";
export {
  assertOperatorRole,
  assertPlaceInScope,
  provinceScopeOf,
  subscriberInScope,
  subscriberRequestInScope,
  territoryCovers,
  type Whereabouts,
} from "./access/scope.js";
