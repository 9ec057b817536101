import { status as GrpcStatus } from "@grpc/grpc-js";
import type { Status } from "@omnihall/proto/google/rpc/status";
import { MAX_BATCH_ITEMS, describeParty } from "./access/acting-party.js";
import type { CallGate } from "./access/call-gate.js";
import type { CallRule } from "./access/policy.js";
import { DomainError } from "./domain-error.js";
import { badField } from "./request-errors.js";
import { genericMessages, toStatusMessage } from "./rich-status.js";
import type { CallContext } from "./service-definition.js";

/** A batch method's request and response as ts-proto makes them (see the Batch… RPCs in proto/). */
export interface BatchRequest<Request> {
  requests: Request[];
}
export interface BatchResponse<Response> {
  results: Array<{ response?: Response | undefined; error?: Status | undefined }>;
}

const ITEM_HANDLER = Symbol("batch item handler");

/** A handler made by batchOf: the kit serves it item by item (see serveBatch). */
export type BatchHandler<Request, Response> = ((
  request: BatchRequest<Request>,
  ctx: CallContext,
) => Promise<BatchResponse<Response>>) & { [ITEM_HANDLER]: (request: Request, ctx: CallContext) => Promise<Response> };

/**
 * The handler of a Batch… method (BatchGetSubscribers, BatchSendMessages…) from its single method's handler: each
 * item is admitted and served exactly as its own call would be (its own acting party from the batch's
 * x-omnihall-acting-parties, its channel, its scope checks, its error), all items at once. The batch saves the
 * callers that answer many people at once (the SMS hall) a gRPC call per item, which costs more CPU than most
 * handlers; handlers whose reads go through preparedLookup then also share their queries.
 *
 *     batchGetSubscribers: batchOf(handlers.getSubscriber)
 *
 * The batch method's own policy rule says who may batch, and is the rule each item is admitted under (its caller,
 * whether it may act for nobody): list only callers the single method's rule allows too.
 */
export function batchOf<Request, Response>(
  single: (request: Request, ctx: CallContext) => Promise<Response>,
): BatchHandler<Request, Response> {
  const handler = () => {
    throw new Error("batchOf handlers are served by the service kit");
  };
  return Object.assign(handler, { [ITEM_HANDLER]: single }) as unknown as BatchHandler<Request, Response>;
}

export function itemHandlerOf(
  handler: unknown,
): ((request: unknown, ctx: CallContext) => Promise<unknown>) | undefined {
  return typeof handler === "function" ? (handler as Partial<BatchHandler<unknown, unknown>>)[ITEM_HANDLER] : undefined;
}

const BATCH_TOO_LARGE = {
  "zh-CN": `批量调用最多 ${MAX_BATCH_ITEMS} 条。`,
  en: `A batch call takes at most ${MAX_BATCH_ITEMS} items.`,
};

/**
 * Serves a batch call: the gate admits each item with its own party (refusing the call as a whole only for what
 * concerns all of it: the caller, parties not one per item, too many items), then every admitted item runs through
 * the single handler with its own context. An item's failure is its result, as its own call's status would be;
 * unexpected errors are logged and answered INTERNAL, as the kit does for a call.
 */
export async function serveBatch(
  single: (request: unknown, ctx: CallContext) => Promise<unknown>,
  request: unknown,
  ctx: CallContext,
  gate: CallGate,
  rule: CallRule,
  domain: string,
): Promise<BatchResponse<unknown>> {
  const items = (request as Partial<BatchRequest<unknown>>).requests ?? [];
  if (items.length > MAX_BATCH_ITEMS) throw badField("BATCH_TOO_LARGE", "requests", BATCH_TOO_LARGE);
  const admissions = gate.admitBatch(ctx.caller, rule, ctx.metadata, items);
  const results = await Promise.all(
    items.map(async (item, index) => {
      const admission = admissions[index]!;
      try {
        if (admission instanceof Error) throw admission;
        return { response: await single(item, { ...ctx, ...admission }) };
      } catch (thrown) {
        return { error: itemStatus(thrown, index, ctx, domain, admission) };
      }
    }),
  );
  const failed = results.filter((result) => result.error).length;
  ctx.log.debug({ items: items.length, failed }, "batch served");
  return { results };
}

function itemStatus(
  thrown: unknown,
  index: number,
  ctx: CallContext,
  domain: string,
  admission: ReturnType<CallGate["admitBatch"]>[number],
): Status {
  if (!(thrown instanceof DomainError)) {
    // The cause stays in our log; the caller learns only that it was our fault.
    ctx.log.error({ err: thrown, item: index }, "unexpected error");
    return toStatusMessage(
      new DomainError(GrpcStatus.INTERNAL, "INTERNAL", genericMessages(GrpcStatus.INTERNAL)),
      domain,
    );
  }
  if (thrown.code === GrpcStatus.UNAUTHENTICATED || thrown.code === GrpcStatus.PERMISSION_DENIED) {
    const party = admission instanceof Error ? undefined : admission.party;
    ctx.log.warn(
      { item: index, reason: thrown.reason, ...(party && { party: describeParty(party) }), ...thrown.metadata },
      "call refused",
    );
  }
  return toStatusMessage(thrown, domain);
}
