import type { ListSubscribersRequest, ListSubscribersResponse } from "@omnihall/proto/omnihall/customer/v1/customer";
import { SubscriberStatus } from "@omnihall/proto/omnihall/customer/v1/customer";
import { decodePageToken, encodePageToken, pageSize } from "@omnihall/service-kit";
import { z } from "zod";
import type { CustomerDb } from "../db.js";
import { provinceUnknown, statusUnknown } from "../errors.js";
import { normalizeProvinceCode } from "./provinces.js";
import { storedStatus, subscriberView } from "./subscriber-view.js";

const PAGE_LIMITS = { default: 50, max: 500 };
const position = z.object({ msisdn: z.string().regex(/^\d{11}$/) });

/** ListSubscribers: subscribers in MSISDN order, filtered; each page token only fits the filters it came from. */
export async function listSubscribers(
  db: CustomerDb,
  request: ListSubscribersRequest,
): Promise<ListSubscribersResponse> {
  const size = pageSize(request.pageSize, PAGE_LIMITS);
  const provinceCode = request.provinceCode === "" ? undefined : normalizeProvinceCode(request.provinceCode);
  if (provinceCode === undefined && request.provinceCode !== "") throw provinceUnknown();
  const status =
    request.status === SubscriberStatus.SUBSCRIBER_STATUS_UNSPECIFIED ? undefined : storedStatus(request.status);
  if (status === undefined && request.status !== SubscriberStatus.SUBSCRIBER_STATUS_UNSPECIFIED) throw statusUnknown();

  const filters = {
    provinceCode,
    city: request.city || undefined,
    planCode: request.planCode || undefined,
    status,
  };
  const after = decodePageToken(request.pageToken, position, filters);
  // One row more than the page tells whether another page follows.
  const rows = await db.subscriber.findMany({
    where: { ...filters, ...(after && { msisdn: { gt: after.msisdn } }) },
    orderBy: { msisdn: "asc" },
    take: size + 1,
  });
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return {
    subscribers: page.map(subscriberView),
    nextPageToken: rows.length > size && last ? encodePageToken({ msisdn: last.msisdn }, filters) : "",
  };
}
