import { Subscriber, SubscriberStatus } from "@omnihall/proto/omnihall/customer/v1/customer";
import type { Subscriber as SubscriberRecord, SubscriberStatus as StoredStatus } from "../generated/prisma/client.js";

const TO_PROTO: Record<StoredStatus, SubscriberStatus> = {
  ACTIVE: SubscriberStatus.SUBSCRIBER_STATUS_ACTIVE,
  SUSPENDED: SubscriberStatus.SUBSCRIBER_STATUS_SUSPENDED,
  TERMINATED: SubscriberStatus.SUBSCRIBER_STATUS_TERMINATED,
};

const FROM_PROTO = new Map(Object.entries(TO_PROTO).map(([stored, status]) => [status, stored as StoredStatus]));

/** The stored status for a proto status, or undefined for UNSPECIFIED and numbers the contract does not name. */
export function storedStatus(status: SubscriberStatus): StoredStatus | undefined {
  return FROM_PROTO.get(status);
}

export function subscriberView(record: SubscriberRecord): Subscriber {
  return {
    subscriberId: record.id,
    msisdn: record.msisdn,
    displayName: record.displayName,
    provinceCode: record.provinceCode,
    city: record.city,
    planCode: record.planCode,
    status: TO_PROTO[record.status],
    languageCode: record.languageCode,
    timeZone: record.timeZone,
    createTime: record.createdAt,
  };
}
