import { preparedLookup } from "@omnihall/db";
import type { GetSubscriberRequest, GetSubscriberResponse } from "@omnihall/proto/omnihall/customer/v1/customer";
import type { CustomerDb } from "../db.js";
import type { Subscriber as SubscriberRecord } from "../generated/prisma/client.js";
import { lookupRequired, msisdnMalformed, subscriberIdMalformed, subscriberNotFound } from "../errors.js";
import { normalizeMsisdn } from "./msisdn.js";
import { subscriberView } from "./subscriber-view.js";

const SUBSCRIBER_ID = /^sub_[A-Za-z0-9]{1,64}$/;

// Every channel call looks a subscriber up: prepared statements on the pool rather than Prisma, coalesced under load
// (see preparedLookup), with the Prisma model's field names so the row goes to the same view.
const COLUMNS = `id, msisdn, display_name AS "displayName", province_code AS "provinceCode", city,
  plan_code AS "planCode", status::text AS status, language_code AS "languageCode", time_zone AS "timeZone",
  created_at AS "createdAt"`;
const subscriberById = preparedLookup<SubscriberRecord>(
  "customer_subscribers_by_id",
  `SELECT ${COLUMNS} FROM subscriber WHERE id = ANY($1::text[])`,
  (row) => row.id,
);
const subscriberByMsisdn = preparedLookup<SubscriberRecord>(
  "customer_subscribers_by_msisdn",
  `SELECT ${COLUMNS} FROM subscriber WHERE msisdn = ANY($1::text[])`,
  (row) => row.msisdn,
);

/** GetSubscriber: one subscriber by id or by MSISDN (in any of the ways people write a number). */
export async function getSubscriber(db: CustomerDb, request: GetSubscriberRequest): Promise<GetSubscriberResponse> {
  let record: SubscriberRecord | undefined;
  if (request.subscriberId !== undefined) {
    if (!SUBSCRIBER_ID.test(request.subscriberId)) throw subscriberIdMalformed();
    record = await subscriberById(db, request.subscriberId);
  } else if (request.msisdn !== undefined) {
    const msisdn = normalizeMsisdn(request.msisdn);
    if (!msisdn) throw msisdnMalformed();
    record = await subscriberByMsisdn(db, msisdn);
  } else {
    throw lookupRequired();
  }
  if (!record) throw subscriberNotFound();
  return { subscriber: subscriberView(record) };
}
