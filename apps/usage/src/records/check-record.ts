import { AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import type { UsageRecord } from "@omnihall/proto/omnihall/usage/v1/usage";

/** Why a record was not counted: stable codes (RejectedRecord.reason) with texts for people. */
export const REJECT_REASONS = {
  SOURCE_MALFORMED: { zhCn: "来源标识格式不正确", en: "The source is malformed" },
  RECORD_ID_MALFORMED: { zhCn: "话单编号格式不正确", en: "The record id is malformed" },
  SUBSCRIBER_ID_MALFORMED: { zhCn: "用户编号格式不正确", en: "The subscriber id is malformed" },
  SUBSCRIBER_UNKNOWN: { zhCn: "用户没有任何已订购的产品", en: "The subscriber holds no product" },
  UNIT_UNSPECIFIED: { zhCn: "未指明用量单位", en: "The unit of usage is missing" },
  QUANTITY_NEGATIVE: { zhCn: "用量不能为负数", en: "The quantity is negative" },
  QUANTITY_TOO_LARGE: { zhCn: "单条话单用量超出合理范围", en: "The quantity is too large for one record" },
  USAGE_TIME_MISSING: { zhCn: "缺少使用时间", en: "The usage time is missing" },
  USAGE_TIME_IN_FUTURE: { zhCn: "使用时间晚于当前时间", en: "The usage time is in the future" },
  USAGE_TIME_TOO_OLD: { zhCn: "话单过旧，已超过可计量期限", en: "The usage is too old to be counted" },
  PROVINCE_MALFORMED: { zhCn: "省份代码格式不正确", en: "The province code is malformed" },
  ROAMING_COUNTRY_MALFORMED: { zhCn: "漫游国家代码格式不正确", en: "The roaming country code is malformed" },
} as const;

export type RejectReason = keyof typeof REJECT_REASONS;

/** A record that passed every check that needs no database. */
export interface CheckedRecord {
  source: string;
  recordId: string;
  subscriberId: string;
  unit: AllowanceUnit;
  quantity: bigint;
  usageTime: Date;
  provinceCode: string;
  roamingCountryCode: string;
}

const SOURCE = /^[A-Za-z0-9._-]{1,32}$/;
const RECORD_ID = /^[A-Za-z0-9._:-]{1,64}$/;
export const SUBSCRIBER_ID = /^sub_[A-Za-z0-9]{1,40}$/;
const PROVINCE = /^[A-Z]{2}$/;
const COUNTRY = /^[A-Z]{2}$/;

/**
 * The most one record can plausibly carry. Beyond it the record is a mediation fault, and counting it would
 * fire every threshold at once.
 */
const MAX_QUANTITY: Record<number, bigint> = {
  [AllowanceUnit.ALLOWANCE_UNIT_DATA_KB]: 100n * 1024n * 1024n, // 100 GB
  [AllowanceUnit.ALLOWANCE_UNIT_VOICE_SECONDS]: 24n * 3600n, // a day-long call
  [AllowanceUnit.ALLOWANCE_UNIT_SMS_COUNT]: 1000n,
};

/** How far a record's usage_time may lie from the service's clock. */
export interface RecordTimeLimits {
  /** Into the future (network clocks drift). */
  maxClockSkewMs: number;
  /** Into the past (late records from mediation; beyond it the period is closed). */
  maxRecordAgeMs: number;
}

/** Checks one record against everything that needs no database. */
export function checkRecord(
  record: UsageRecord,
  now: Date,
  limits: RecordTimeLimits,
): { record: CheckedRecord } | { reason: RejectReason } {
  if (!SOURCE.test(record.source)) return { reason: "SOURCE_MALFORMED" };
  if (!RECORD_ID.test(record.recordId)) return { reason: "RECORD_ID_MALFORMED" };
  if (!SUBSCRIBER_ID.test(record.subscriberId)) return { reason: "SUBSCRIBER_ID_MALFORMED" };
  const maxQuantity = MAX_QUANTITY[record.unit];
  if (maxQuantity === undefined) return { reason: "UNIT_UNSPECIFIED" };
  if (record.quantity < 0n) return { reason: "QUANTITY_NEGATIVE" };
  if (record.quantity > maxQuantity) return { reason: "QUANTITY_TOO_LARGE" };
  if (!record.usageTime || Number.isNaN(record.usageTime.getTime())) return { reason: "USAGE_TIME_MISSING" };
  if (record.usageTime.getTime() > now.getTime() + limits.maxClockSkewMs) return { reason: "USAGE_TIME_IN_FUTURE" };
  if (record.usageTime.getTime() < now.getTime() - limits.maxRecordAgeMs) return { reason: "USAGE_TIME_TOO_OLD" };
  if (record.provinceCode !== "" && !PROVINCE.test(record.provinceCode)) return { reason: "PROVINCE_MALFORMED" };
  if (record.roamingCountryCode !== "" && !COUNTRY.test(record.roamingCountryCode)) {
    return { reason: "ROAMING_COUNTRY_MALFORMED" };
  }
  return {
    record: {
      source: record.source,
      recordId: record.recordId,
      subscriberId: record.subscriberId,
      unit: record.unit,
      quantity: record.quantity,
      usageTime: record.usageTime,
      provinceCode: record.provinceCode,
      roamingCountryCode: record.roamingCountryCode,
    },
  };
}
