import { Ajv, type Options } from "ajv";
import addFormats from "ajv-formats";
import type { FastifySchemaCompiler } from "fastify";

/**
 * Request bodies are JSON and taken as sent: no type coercion (`true`, `"5000"`, `[5000]` are not the integer
 * 5000) and no silent removal of unknown properties (`additionalProperties: false` refuses them, as the OpenAPI
 * document says). Query strings and path parameters are text by nature, so they are still coerced
 * (`?pageSize=20`).
 */
const common: Options = { allErrors: false, useDefaults: true, removeAdditional: false, strict: false };
const bodyAjv = addFormats.default(new Ajv({ ...common, coerceTypes: false }));
const textAjv = addFormats.default(new Ajv({ ...common, coerceTypes: "array" }));

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === "body" ? bodyAjv : textAjv).compile(schema);

/** Largest whole number a JSON number carries exactly (2^53 − 1), well inside int64. */
const LARGEST_EXACT_INTEGER = Number.MAX_SAFE_INTEGER;

/**
 * A money field: integer fen as a JSON integer, nothing else. Bounded to what JSON numbers carry exactly (so
 * `99999999999999999999` is a 400, not a wrapped int64 or a 502); narrow it further per field.
 */
export function fenAmount(options: { minimum?: number; maximum?: number; description?: string } = {}) {
  return {
    type: "integer",
    minimum: Math.max(options.minimum ?? -LARGEST_EXACT_INTEGER, -LARGEST_EXACT_INTEGER),
    maximum: Math.min(options.maximum ?? LARGEST_EXACT_INTEGER, LARGEST_EXACT_INTEGER),
    description: options.description ?? "Amount in fen (1/100 yuan), a JSON integer.",
  } as const;
}

/** A fen value from a service (int64 as bigint) for JSON: exact below 2^53, which every real amount is. */
export function fenOf(value: bigint): number {
  return Number(value);
}
