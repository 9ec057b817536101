import { type CallContext, DomainError, unavailable } from "@omnihall/service-kit";
import type { StreamUsageRequest, StreamUsageResponse } from "@omnihall/proto/omnihall/usage/v1/usage";
import type { IngestPipeline } from "./ingest-pipeline.js";
import { IngestTally } from "./ingest-tally.js";

/**
 * StreamUsage: hands each chunk to the ingest pipeline as it arrives and keeps reading while at most
 * `maxUncommitted` records wait to be committed (beyond that the stream is paused: backpressure). Answers with
 * the totals once the client half-closes and everything is committed. Records committed before a failure stay
 * counted; the client resends and duplicates count nothing.
 */
export function streamUsage(pipeline: IngestPipeline, options: { maxUncommitted: number }) {
  return async (requests: AsyncIterable<StreamUsageRequest>, ctx: CallContext): Promise<StreamUsageResponse> => {
    const tally = new IngestTally();
    const waiting: Array<{ committed: Promise<void>; records: number }> = [];
    let uncommitted = 0;
    let index = 0;
    try {
      for await (const chunk of requests) {
        if (chunk.records.length === 0) continue;
        const items = chunk.records.map((record) => ({ index: index++, record, tally }));
        const committed = pipeline.submit(items);
        committed.catch(() => undefined); // awaited below, in order
        waiting.push({ committed, records: items.length });
        uncommitted += items.length;
        while (uncommitted > options.maxUncommitted) {
          const oldest = waiting.shift()!;
          await oldest.committed;
          uncommitted -= oldest.records;
        }
      }
      for (const { committed } of waiting) await committed;
    } catch (error) {
      if (error instanceof DomainError) throw error;
      // The database or the service went away mid-stream: what committed stays counted, the rest must be sent again.
      ctx.log.error({ err: error, records: index }, "usage stream interrupted");
      throw unavailable(
        "INGEST_INTERRUPTED",
        {
          "zh-CN": "话单接收中断，请从任意较早位置重新发送（重复话单不会重复计量）。",
          en: "Ingest was interrupted; resend from any earlier point (duplicates count once).",
        },
        { cause: error },
      );
    } finally {
      await Promise.allSettled(waiting.map((w) => w.committed));
    }
    ctx.log.info({ records: index }, "usage stream ingested");
    return { result: tally.toResult() };
  };
}
