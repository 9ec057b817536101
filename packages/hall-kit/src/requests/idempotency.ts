import { describeParty } from "@omnihall/service-kit";
import type { FastifyRequest } from "fastify";
import { HALL_ERRORS } from "../errors/hall-error.js";
import { sessionOf } from "../sessions/sessions-plugin.js";

/** What an Idempotency-Key may look like: chosen by clients, so short and plain. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,64}$/;

/** The Idempotency-Key header as an OpenAPI/JSON Schema header, for a route's `headers` schema. */
export const idempotencyKeyHeader = {
  type: "object",
  properties: {
    "idempotency-key": {
      type: "string",
      description:
        "Required. 8 to 64 letters, digits, - or _. A retry with the same key returns the first answer and has no second effect.",
    },
  },
} as const;

/**
 * The AIP-155 `request_id` of a mutation, from the client's Idempotency-Key: `<hall>:<party>:<key>`. Keys are
 * chosen by people's devices, so they are scoped to the acting party: two subscribers picking the same key get
 * two separate effects, and nobody can replay or probe someone else's request. Requires a session.
 */
export function idempotentRequestId(request: FastifyRequest, hall: string): string {
  const key = request.headers["idempotency-key"];
  if (typeof key !== "string" || !IDEMPOTENCY_KEY.test(key)) throw HALL_ERRORS.idempotencyKeyRequired();
  const { kind, id } = describeParty(sessionOf(request).party);
  return `${hall}:${kind}.${id}:${key}`;
}
