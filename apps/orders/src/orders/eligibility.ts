import type { DomainError } from "@omnihall/service-kit";
import type { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type {
  CheckEligibilityResponse,
  EligibilityViolation,
  SubscriberFacts,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { Subscriber } from "@omnihall/proto/omnihall/customer/v1/customer";
import type { OrdersDb, Tx } from "../db.js";
import type { CatalogCalls } from "../dependencies/dependencies.js";
import { OrderErrors } from "../errors.js";

const NOT_SOLD_HERE = new Set(["OFFERING_NOT_ON_SALE", "PROVINCE_NOT_SERVED", "CHANNEL_NOT_SOLD"]);
const SETTING_PROBLEMS = new Set(["SETTING_MISSING", "SETTING_INVALID", "SETTING_UNKNOWN"]);

/**
 * What the catalog's eligibility answer means for an order: nothing (eligible) or the one error to send. The
 * catalog decides; this only sorts its reasons into the order service's error reasons.
 */
export function eligibilityError(answer: CheckEligibilityResponse): DomainError | undefined {
  if (answer.eligible) return undefined;
  const reasons = answer.violations.map((violation) => violation.reason);
  const first = answer.violations[0] as EligibilityViolation | undefined;
  if (answer.violations.some((violation) => NOT_SOLD_HERE.has(violation.reason))) {
    return OrderErrors.offeringNotAvailable(reasons);
  }
  const setting = answer.violations.find((violation) => SETTING_PROBLEMS.has(violation.reason));
  if (setting)
    return OrderErrors.characteristicInvalid(`${setting.settingKey}: ${setting.message?.en ?? setting.reason}`);
  return OrderErrors.subscriberNotEligible(
    reasons,
    first?.message ? { "zh-CN": first.message.zhCn, en: first.message.en } : undefined,
  );
}

/** Whole months from `since` to `now`. */
export function tenureMonths(since: Date | undefined, now: Date): number {
  if (!since) return 0;
  const months = (now.getUTCFullYear() - since.getUTCFullYear()) * 12 + now.getUTCMonth() - since.getUTCMonth();
  return Math.max(0, now.getUTCDate() < since.getUTCDate() ? months - 1 : months);
}

/** The facts the catalog decides eligibility from: the subscriber's profile and what they hold now and held before. */
export async function subscriberFacts(db: OrdersDb | Tx, subscriber: Subscriber, now: Date): Promise<SubscriberFacts> {
  const products = await db.product.findMany({
    where: { subscriberId: subscriber.subscriberId },
    select: { offeringCode: true, status: true },
  });
  const held = new Set(products.filter((p) => p.status === "ACTIVE").map((p) => p.offeringCode));
  const former = new Set(
    products.filter((p) => p.status === "ENDED" && !held.has(p.offeringCode)).map((p) => p.offeringCode),
  );
  return {
    subscriberId: subscriber.subscriberId,
    provinceCode: subscriber.provinceCode,
    planCode: subscriber.planCode,
    tenureMonths: tenureMonths(subscriber.createTime, now),
    heldOfferingCodes: [...held].sort(),
    formerOfferingCodes: [...former].sort(),
  };
}

/** Asks the catalog whether the subscriber may order the offering now. */
export function checkEligibility(
  catalog: CatalogCalls,
  args: {
    offeringCode: string;
    channel: Channel;
    facts: SubscriberFacts;
    characteristics: Record<string, string>;
    deadlineMs: number;
  },
): Promise<CheckEligibilityResponse> {
  return catalog.checkEligibility(
    { offeringCode: args.offeringCode, channel: args.channel, subscriber: args.facts, settings: args.characteristics },
    { deadlineMs: args.deadlineMs },
  );
}
