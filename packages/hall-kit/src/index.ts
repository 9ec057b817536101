export { buildHallApp, type HallAppOptions } from "./hall-app.js";
export { serveHall, writeOpenApiDocument, type RunningHall } from "./serve-hall.js";
export {
  developmentSessionSecret,
  hallEnv,
  isDevelopmentSecret,
  sessionSecret,
  trustProxyOf,
  type HallConfig,
} from "./config.js";
export { HallError, HALL_ERRORS, SERVICE_TROUBLE, type Messages } from "./errors/hall-error.js";
export {
  errorBody,
  errorBodySchema,
  fromServiceCall,
  handleError,
  hallErrorOf,
  sendError,
  type ErrorBody,
} from "./errors/envelope.js";
export { languageOf, type Language } from "./errors/language.js";
export { ACCEPTABLE_REQUEST_ID } from "./requests/request-id.js";
export { IDEMPOTENCY_KEY, idempotencyKeyHeader, idempotentRequestId } from "./requests/idempotency.js";
export { abortSignalOf, callOptions } from "./requests/call-options.js";
export { fenAmount, fenOf } from "./requests/body-rules.js";
export {
  SessionRefused,
  SessionTokens,
  type IssuedSession,
  type Session,
  type SessionTokensOptions,
} from "./sessions/session-tokens.js";
export {
  MemorySessionRevocations,
  NatsSessionRevocations,
  type NatsSessionRevocationsOptions,
  type SessionRevocations,
} from "./sessions/revocations.js";
export {
  CSRF_HEADER,
  SESSION_SECURITY,
  partyOf,
  requireSession,
  sessionOf,
  sessionRoutes,
  startSession,
  startedSessionProperties,
  type SessionCookieOptions,
  type SessionTransport,
  type StartedSession,
} from "./sessions/sessions-plugin.js";
export { openHallSessions } from "./sessions/open-sessions.js";
export { sendEvents, type EventStreamOptions, type ServerSentEvent } from "./sse.js";
export {
  liveOfferRoutes,
  liveOfferSchema,
  liveOfferView,
  openHallLiveOffers,
  type LiveOfferRoutesOptions,
  type LiveOfferView,
  type LiveOffers,
  type Place,
} from "./live-offers.js";
export { type FrontEndOptions } from "./front-end.js";
export { enumView, timeOf, type EnumView } from "./views.js";
