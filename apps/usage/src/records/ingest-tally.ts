import type { IngestResult, UsageRecord } from "@omnihall/proto/omnihall/usage/v1/usage";
import { REJECT_REASONS, type RejectReason } from "./check-record.js";

/** How many rejected records a response lists one by one; the counts cover all of them. */
export const LISTED_REJECTIONS = 1000;

/** Counts what happened to the records of a batch or a stream, for its response. */
export class IngestTally {
  private readonly result: IngestResult = {
    acceptedCount: 0n,
    duplicateCount: 0n,
    rejectedCount: 0n,
    rejectedCountByReason: {},
    rejectedRecords: [],
  };

  accepted(count: number): void {
    this.result.acceptedCount += BigInt(count);
  }

  duplicates(count: number): void {
    this.result.duplicateCount += BigInt(count);
  }

  rejected(index: number, record: UsageRecord, reason: RejectReason): void {
    this.result.rejectedCount += 1n;
    this.result.rejectedCountByReason[reason] = (this.result.rejectedCountByReason[reason] ?? 0n) + 1n;
    if (this.result.rejectedRecords.length < LISTED_REJECTIONS) {
      this.result.rejectedRecords.push({
        index: BigInt(index),
        source: record.source,
        recordId: record.recordId,
        reason,
        message: REJECT_REASONS[reason],
      });
    }
  }

  toResult(): IngestResult {
    return this.result;
  }
}
