import type { Logger } from "@omnihall/service-kit";
import type { UsageDb } from "../database.js";
import { type IndexedRecord, ingestBatch, tallyOutcome } from "./ingest-batch.js";
import type { IngestSettings } from "./ingest-usage.js";

export interface PipelineSettings extends IngestSettings {
  /** Most records per transaction. */
  batchSize: number;
  /** Subscriber partitions, each with one transaction in flight. */
  partitions: number;
}

/** Records of one submit call for one partition, committed together. */
interface Ticket {
  items: IndexedRecord[];
  resolve(): void;
  reject(error: unknown): void;
}

interface Partition {
  queue: Ticket[];
  running: Promise<void> | undefined;
}

/** FNV-1a: a cheap, stable spread of subscriber ids over partitions. */
function partitionOf(subscriberId: string, partitions: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < subscriberId.length; i++) hash = Math.imul(hash ^ subscriberId.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % partitions;
}

/**
 * The service's one ingest path for streams: records from every open stream are split into partitions by
 * subscriber, and each partition runs one transaction at a time over whatever has queued up meanwhile (group
 * commit, up to `batchSize` records). Partitions never touch the same buckets, so they run in parallel without
 * waiting on each other's row locks, and the busier the feed, the bigger (and cheaper per record) the batches.
 */
export class IngestPipeline {
  private readonly partitions: Partition[];
  private stopped = false;

  constructor(
    private readonly db: UsageDb,
    private readonly settings: PipelineSettings,
    private readonly log: Logger,
  ) {
    this.partitions = Array.from({ length: settings.partitions }, () => ({ queue: [], running: undefined }));
  }

  /** Counts the records into their tallies; resolves once every one of them is committed. */
  submit(items: readonly IndexedRecord[]): Promise<void> {
    if (this.stopped) return Promise.reject(new Error("The ingest pipeline is stopped"));
    const byPartition = new Map<Partition, IndexedRecord[]>();
    for (const item of items) {
      const partition = this.partitions[partitionOf(item.record.subscriberId, this.partitions.length)]!;
      const list = byPartition.get(partition) ?? [];
      list.push(item);
      byPartition.set(partition, list);
    }
    const done: Array<Promise<void>> = [];
    for (const [partition, list] of byPartition) {
      for (let start = 0; start < list.length; start += this.settings.batchSize) {
        done.push(
          new Promise<void>((resolve, reject) => {
            partition.queue.push({ items: list.slice(start, start + this.settings.batchSize), resolve, reject });
          }),
        );
      }
      this.run(partition);
    }
    return Promise.all(done).then(() => undefined);
  }

  /** Stops taking records, fails what is queued, and waits for the transactions in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const partition of this.partitions) {
      for (const ticket of partition.queue.splice(0)) ticket.reject(new Error("The usage service is stopping"));
    }
    await Promise.allSettled(this.partitions.map((p) => p.running));
  }

  private run(partition: Partition): void {
    if (partition.running || partition.queue.length === 0 || this.stopped) return;
    const tickets: Ticket[] = [];
    let size = 0;
    while (partition.queue.length > 0 && size + partition.queue[0]!.items.length <= this.settings.batchSize) {
      const ticket = partition.queue.shift()!;
      tickets.push(ticket);
      size += ticket.items.length;
    }
    const batch = tickets.flatMap((t) => t.items);
    partition.running = this.db
      .transaction((tx) => ingestBatch(tx, batch, { ...this.settings, now: new Date() }))
      .then(
        (outcome) => {
          tallyOutcome(outcome);
          for (const ticket of tickets) ticket.resolve();
        },
        (error: unknown) => {
          this.log.error({ err: error, records: batch.length }, "usage batch failed");
          for (const ticket of tickets) ticket.reject(error);
        },
      )
      .finally(() => {
        partition.running = undefined;
        this.run(partition);
      });
  }
}
