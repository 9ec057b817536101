import type { GetSubscriberRequest, GetSubscriberResponse } from "@omnihall/proto/omnihall/customer/v1/customer";
import type { CustomerDb } from "../db.js";
import { lookupRequired, msisdnMalformed, subscriberIdMalformed, subscriberNotFound } from "../errors.js";
import { normalizeMsisdn } from "./msisdn.js";
import { subscriberView } from "./subscriber-view.js";

const SUBSCRIBER_ID = /^sub_[A-Za-z0-9]{1,64}$/;

/** GetSubscriber: one subscriber by id or by MSISDN (in any of the ways people write a number). */
export async function getSubscriber(db: CustomerDb, request: GetSubscriberRequest): Promise<GetSubscriberResponse> {
  let where: { id: string } | { msisdn: string };
  if (request.subscriberId !== undefined) {
    if (!SUBSCRIBER_ID.test(request.subscriberId)) throw subscriberIdMalformed();
    where = { id: request.subscriberId };
  } else if (request.msisdn !== undefined) {
    const msisdn = normalizeMsisdn(request.msisdn);
    if (!msisdn) throw msisdnMalformed();
    where = { msisdn };
  } else {
    throw lookupRequired();
  }
  const record = await db.subscriber.findUnique({ where });
  if (!record) throw subscriberNotFound();
  return { subscriber: subscriberView(record) };
}
