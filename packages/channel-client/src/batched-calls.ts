import { Batcher } from "@omnihall/batching";
import { randomUUID } from "node:crypto";
import {
  MAX_BATCH_ITEMS,
  readStatus,
  type MethodDefinition,
  type RequestOf,
  type ResponseOf,
} from "@omnihall/service-kit";
import type { Status } from "@omnihall/proto/google/rpc/status";
import type { CallOptions } from "./service-client.js";
import { ServiceCallError } from "./service-call-error.js";

/** A service client's Batch… method, e.g. `customer.batchGetSubscribers`. */
type BatchMethod<Request, Response> = (
  request: { requests: Request[] },
  options?: CallOptions,
) => Promise<{ results: Array<{ response?: Response | undefined; error?: Status | undefined }> }>;

export interface BatchedCallsOptions {
  /** Items per batch call at most; default (and at most) the kit's MAX_BATCH_ITEMS. */
  maxItems?: number;
  /** Batch calls running at once; calls made meanwhile go together in the next. Default 4. */
  maxInFlight?: number;
}

interface Item<Request> {
  request: Request;
  options: CallOptions;
}

/**
 * One method's calls, made one by one as usual, sent as its Batch… method (see batchOf in the service kit): the
 * calls made in one turn of the event loop, and while `maxInFlight` batches are on their way, go as one gRPC call
 * (see Batcher). Each caller gets its own answer or its own ServiceCallError, as from the single method; each
 * item acts for its own `party`. For halls that answer many people at once (the SMS hall): a gRPC call costs
 * more CPU at both ends than most handlers, and under load this makes it one per batch instead of one per call.
 *
 *     const getSubscriber = batchedCalls(clients.customer.batchGetSubscribers, CustomerServiceService.getSubscriber);
 *     const { subscriber } = await getSubscriber({ msisdn }, { party, requestId });
 *
 * The single method's definition types the calls and names them in errors.
 * A batch carries the shortest deadline of its items and an x-request-id of its own (an item's ServiceCallError
 * names it); an item's `signal` still ends its own wait.
 */
export function batchedCalls<M extends MethodDefinition>(
  batch: BatchMethod<RequestOf<M>, ResponseOf<M>>,
  single: M,
  options: BatchedCallsOptions = {},
): (request: RequestOf<M>, callOptions?: CallOptions) => Promise<ResponseOf<M>> {
  type Request = RequestOf<M>;
  type Response = ResponseOf<M>;
  const rpc = single.path.slice(1);
  const batcher = new Batcher<Item<Request>, Response>(
    async (items) => {
      const requestId = randomUUID();
      const parties = items.map((item) => item.options.party);
      const deadlines = items.flatMap((item) =>
        item.options.deadlineMs === undefined ? [] : [item.options.deadlineMs],
      );
      const { results } = await batch(
        { requests: items.map((item) => item.request) },
        {
          requestId,
          ...(parties.some((party) => party) && { parties }),
          ...(deadlines.length > 0 && { deadlineMs: Math.min(...deadlines) }),
        },
      );
      return results.map((result) =>
        result.error
          ? {
              ok: false,
              error: new ServiceCallError({ code: result.error.code, ...readStatus(result.error) }, rpc, requestId),
            }
          : { ok: true, value: result.response! },
      );
    },
    { maxItems: Math.min(options.maxItems ?? MAX_BATCH_ITEMS, MAX_BATCH_ITEMS), maxInFlight: options.maxInFlight ?? 4 },
  );
  return (request, callOptions = {}) => {
    const { signal } = callOptions;
    if (signal?.aborted) return Promise.reject(ServiceCallError.cancelled(rpc, ""));
    const answer = batcher.add({ request, options: callOptions });
    if (!signal) return answer;
    return new Promise<Response>((resolve, reject) => {
      const cancel = () => reject(ServiceCallError.cancelled(rpc, ""));
      signal.addEventListener("abort", cancel, { once: true });
      answer.then(resolve, reject).finally(() => signal.removeEventListener("abort", cancel));
    });
  };
}
