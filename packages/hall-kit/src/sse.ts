import type { FastifyReply, FastifyRequest } from "fastify";
import { errorBody, hallErrorOf } from "./errors/envelope.js";
import { HALL_ERRORS } from "./errors/hall-error.js";
import { abortSignalOf } from "./requests/call-options.js";

/** One server-sent event. `data` is sent as JSON unless it is a string. */
export interface ServerSentEvent {
  event?: string;
  id?: string;
  data: unknown;
}

export interface EventStreamOptions {
  /** A comment line this often keeps proxies from closing a quiet stream; default 15 s. */
  heartbeatMs?: number;
  /** How long a browser waits before reconnecting (the `retry:` field); default 3 s. */
  retryMs?: number;
}

function frame(event: ServerSentEvent): string {
  const data = typeof event.data === "string" ? event.data : JSON.stringify(event.data);
  let text = "";
  // Ids and names are single-line by definition; strip newlines rather than let a value inject fields.
  if (event.id !== undefined) text += `id: ${event.id.replace(/[\r\n]/g, "")}\n`;
  if (event.event !== undefined) text += `event: ${event.event.replace(/[\r\n]/g, "")}\n`;
  for (const line of data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/**
 * Streams live updates (order progress, balance changes) as server-sent events. `source` gets the request's
 * abort signal (the browser went away) and the Last-Event-ID the browser reconnected with; stop producing when
 * the signal aborts. A failure of the source ends the stream with an `error` event carrying the error envelope.
 */
export async function sendEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  source: (context: { signal: AbortSignal; lastEventId: string | undefined }) => AsyncIterable<ServerSentEvent>,
  options: EventStreamOptions = {},
): Promise<void> {
  const signal = abortSignalOf(request);
  const lastEventId = request.headers["last-event-id"];
  const raw = reply.raw;
  reply.hijack();
  // Hijacked replies skip onSend hooks: the headers set so far (security headers, request id) go out here.
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
    "x-request-id": request.id,
  });
  const write = async (text: string) => {
    if (signal.aborted || raw.destroyed) return;
    if (!raw.write(text)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          raw.off("drain", done);
          signal.removeEventListener("abort", done);
          resolve();
        };
        raw.once("drain", done);
        signal.addEventListener("abort", done, { once: true });
      });
    }
  };
  await write(`retry: ${options.retryMs ?? 3000}\n\n`);
  const heartbeat = setInterval(() => void write(": keep-alive\n\n"), options.heartbeatMs ?? 15_000);
  try {
    for await (const event of source({
      signal,
      lastEventId: typeof lastEventId === "string" ? lastEventId : undefined,
    })) {
      if (signal.aborted) break;
      await write(frame(event));
    }
  } catch (error) {
    if (!signal.aborted) {
      const known = hallErrorOf(error);
      if (!known || known.statusCode >= 500) request.log.error({ err: error }, "event stream failed");
      await write(
        frame({
          event: "error",
          data: errorBody(known ?? HALL_ERRORS.internal(), request.headers["accept-language"]),
        }),
      );
    }
  } finally {
    clearInterval(heartbeat);
    if (!raw.destroyed) raw.end();
  }
}
