import type { CallContext } from "@omnihall/service-kit";
import type { StreamUsageRequest, StreamUsageResponse } from "@omnihall/proto/omnihall/usage/v1/usage";
import type { UsageDb } from "../database.js";
import { type IndexedRecord, ingestBatch } from "./ingest-batch.js";
import type { IngestSettings } from "./ingest-usage.js";
import { IngestTally } from "./ingest-tally.js";

export interface StreamSettings extends IngestSettings {
  /** Records per transaction. */
  batchSize: number;
  /** Partitions of a stream, each with one transaction in flight. */
  concurrency: number;
}

/** FNV-1a: a cheap, stable spread of subscriber ids over partitions. */
function partitionOf(subscriberId: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < subscriberId.length; i++) hash = Math.imul(hash ^ subscriberId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % partitions;
}

/**
 * StreamUsage: re-batches the client's chunks into transactions of `batchSize` records. Records are split into
 * `concurrency` partitions by subscriber, each with at most one transaction in flight: partitions run in
 * parallel without ever waiting for each other's bucket locks, and reading the stream pauses while a partition's
 * next batch is full and its previous one still running (backpressure). Each batch commits on its own; if the
 * stream breaks, the client resends and duplicates count nothing.
 */
export function streamUsage(db: UsageDb, settings: StreamSettings) {
  return async (requests: AsyncIterable<StreamUsageRequest>, ctx: CallContext): Promise<StreamUsageResponse> => {
    const tally = new IngestTally();
    const partitions = Array.from({ length: settings.concurrency }, () => ({
      batch: [] as IndexedRecord[],
      running: Promise.resolve(),
    }));
    const submit = async (partition: (typeof partitions)[number]) => {
      const batch = partition.batch;
      partition.batch = [];
      await partition.running;
      const ingesting = db.transaction((tx) =>
        ingestBatch(tx, batch, tally, { ...settings, now: new Date(), requestId: ctx.requestId }),
      );
      // Awaited on the partition's next submit or at the end; a failure ends the stream there.
      ingesting.catch(() => undefined);
      partition.running = ingesting;
    };

    let index = 0;
    try {
      for await (const chunk of requests) {
        for (const record of chunk.records) {
          const partition = partitions[partitionOf(record.subscriberId, partitions.length)]!;
          partition.batch.push({ index: index++, record });
          if (partition.batch.length >= settings.batchSize) await submit(partition);
        }
      }
      for (const partition of partitions) if (partition.batch.length > 0) await submit(partition);
    } finally {
      // Whatever happens to the stream, batches already handed to the database finish before the call ends.
      await Promise.allSettled(partitions.map((p) => p.running));
    }
    await Promise.all(partitions.map((p) => p.running));
    ctx.log.info({ records: index }, "usage stream ingested");
    return { result: tally.toResult() };
  };
}
