import { createHash } from "node:crypto";
import { enqueue } from "@omnihall/bus";
import { isUniqueViolation } from "@omnihall/db";
import { newId } from "@omnihall/ids";
import type {
  RegisterSubscriberRequest,
  RegisterSubscriberResponse,
} from "@omnihall/proto/omnihall/customer/v1/registration";
import { alreadyExists, invalidArgument, type LocalizedMessages } from "@omnihall/service-kit";
import { inTransaction, type CustomerDb } from "../db.js";
import { msisdnMalformed, provinceUnknown, requestIdRequired } from "../errors.js";
import { normalizeMsisdn } from "../subscribers/msisdn.js";
import { normalizeProvinceCode } from "../subscribers/provinces.js";
import { subscriberView } from "../subscribers/subscriber-view.js";
import { SubscriberChanged, SubscriberRegistered } from "./registration-events.js";

const required = (field: string, reason: string, messages: LocalizedMessages) =>
  invalidArgument(reason, messages, { fieldViolations: [{ field, reason, messages }] });

const msisdnTaken = () =>
  alreadyExists("MSISDN_TAKEN", { "zh-CN": "该号码已有用户使用。", en: "Another subscriber holds this number." });
const requestIdReused = () =>
  alreadyExists("REQUEST_ID_REUSED", {
    "zh-CN": "该请求编号已用于另一笔不同的开户登记。",
    en: "This request_id was already used for a different registration.",
  });

/**
 * RegisterSubscriber: one new subscriber per request id, stored with its ledger row in one transaction, so a
 * retry (the opening saga replays its steps) finds the subscriber it created and creates no second one.
 */
export async function registerSubscriber(
  db: CustomerDb,
  request: RegisterSubscriberRequest,
): Promise<RegisterSubscriberResponse> {
  const requestId = request.requestId.trim();
  if (requestId === "" || requestId.length > 128) throw requestIdRequired();
  const msisdn = normalizeMsisdn(request.msisdn);
  if (!msisdn) throw msisdnMalformed();
  const displayName = request.displayName.trim();
  if (displayName === "") {
    throw required("display_name", "DISPLAY_NAME_REQUIRED", { "zh-CN": "请填写姓名。", en: "The name is missing." });
  }
  const provinceCode = normalizeProvinceCode(request.provinceCode);
  if (!provinceCode) throw provinceUnknown();
  const city = request.city.trim();
  if (city === "") throw required("city", "CITY_REQUIRED", { "zh-CN": "请填写城市。", en: "The city is missing." });
  const planCode = request.planCode.trim();
  if (planCode === "") {
    throw required("plan_code", "PLAN_CODE_REQUIRED", { "zh-CN": "请选择套餐。", en: "Choose a tariff plan." });
  }
  const data = { msisdn, displayName, provinceCode, city, planCode, languageCode: request.languageCode || "zh-CN" };
  const fingerprint = createHash("sha256").update(JSON.stringify(data)).digest("base64url");

  const earlier = async () => {
    const row = await db.subscriberRegistration.findUnique({ where: { requestId } });
    if (!row) return undefined;
    if (row.fingerprint !== fingerprint) throw requestIdReused();
    return { subscriber: subscriberView(await db.subscriber.findUniqueOrThrow({ where: { id: row.subscriberId } })) };
  };
  const first = await earlier();
  if (first) return first;
  try {
    const subscriber = await inTransaction(db, async (tx) => {
      const created = await tx.subscriber.create({
        data: { id: newId("sub"), ...data, status: "ACTIVE", timeZone: "Asia/Shanghai" },
      });
      await tx.subscriberRegistration.create({ data: { requestId, fingerprint, subscriberId: created.id } });
      // In the same transaction: the subscriber and the fact that they exist commit together (outbox).
      await enqueue(tx, SubscriberRegistered, {
        subscriberId: created.id,
        msisdn: created.msisdn,
        provinceCode: created.provinceCode,
        city: created.city,
        planCode: created.planCode,
        createTime: created.createdAt,
      });
      await enqueue(tx, SubscriberChanged, {
        subscriberId: created.id,
        provinceCode: created.provinceCode,
        city: created.city,
        planCode: created.planCode,
        subscribeTime: created.createdAt,
        changeTime: created.createdAt,
        active: created.status === "ACTIVE",
      });
      return created;
    });
    return { subscriber: subscriberView(subscriber) };
  } catch (error) {
    if (isUniqueViolation(error, "subscriber_registration_pkey")) return (await earlier())!;
    if (isUniqueViolation(error, "subscriber_msisdn_key")) {
      // Raced by the same request (its ledger row now exists), or the number is someone else's.
      const raced = await earlier();
      if (raced) return raced;
      throw msisdnTaken();
    }
    throw error;
  }
}
