import type { FastifyReply, FastifyRequest } from "fastify";
import helmet, { type HelmetOptions } from "helmet";

/**
 * The security headers of every answer, from helmet, computed once. `@fastify/helmet` rebuilds the helmet
 * middleware, CSP parsing included, on every request (measured: the largest cost the kit added to a request
 * before this); helmet's headers do not depend on the request, so the kit asks helmet once and sets the result.
 */
export function securityHeaders(options: HelmetOptions = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  const collect = {
    setHeader: (name: string, value: string | number) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as never, collect as never, () => {});
  return headers;
}

/** An onRequest hook setting the given headers; errors and hijacked replies (SSE) get them too. */
export function securityHeadersHook(headers: Record<string, string>) {
  return async (_request: FastifyRequest, reply: FastifyReply) => {
    reply.headers(headers);
  };
}
