import type { CallOptions } from "@omnihall/channel-client";
import type { FastifyReply, FastifyRequest } from "fastify";

const REPLY = Symbol("omnihall.reply");
const SIGNAL = Symbol("omnihall.signal");

interface Tracked {
  [REPLY]?: FastifyReply;
  [SIGNAL]?: AbortSignal;
}

/** onRequest hook of the base app: remembers each request's reply, to notice when its client goes away. */
export async function trackReply(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  (request as unknown as Tracked)[REPLY] = reply;
}

/**
 * Aborted when the client closes the connection before the answer is complete (page closed, fetch aborted,
 * timeout on the client's side): service calls made for it are cancelled instead of running on for nobody.
 * Created on first use, one per request.
 */
export function abortSignalOf(request: FastifyRequest): AbortSignal {
  const tracked = request as unknown as Tracked;
  const existing = tracked[SIGNAL];
  if (existing) return existing;
  const controller = new AbortController();
  tracked[SIGNAL] = controller.signal;
  const response = tracked[REPLY]?.raw;
  if (response) {
    if (response.closed && !response.writableFinished) controller.abort();
    else response.once("close", () => response.writableFinished || controller.abort());
  }
  return controller.signal;
}

/**
 * The options of every service call a hall makes while serving a request: the request id (to follow it across
 * services), the acting party of the request's session (so the service enforces its scope), and the request's
 * abort signal.
 */
export function callOptions(request: FastifyRequest, extra: Omit<CallOptions, "party" | "signal"> = {}): CallOptions {
  return {
    requestId: request.id,
    ...(request.session ? { party: request.session.party } : {}),
    signal: abortSignalOf(request),
    ...extra,
  };
}
