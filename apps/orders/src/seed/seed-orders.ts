import { AllowanceRecurrence, AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import { DEMO_PLANS, demoSubscribers, type DemoPlan, type DemoSubscriber } from "@omnihall/demo-data";
import type { OrdersDb } from "../db.js";
import type { OfferingTerms } from "../orders/offering-terms.js";
import { activateProduct } from "../products/product-lifecycle.js";

/** The terms of a demo plan, as the catalog seeds it (same code, price and monthly allowances). */
function planTerms(plan: DemoPlan): OfferingTerms {
  const monthly = (unit: AllowanceUnit, quantity: bigint) => ({
    unit,
    quantity: String(quantity),
    recurrence: AllowanceRecurrence.ALLOWANCE_RECURRENCE_MONTHLY,
    roamingCountryCode: "",
  });
  return {
    code: plan.code,
    kind: "PLAN",
    nameZh: plan.nameZh,
    nameEn: plan.nameEn,
    chargeFen: String(plan.monthlyFeeFen),
    priceFen: String(plan.monthlyFeeFen),
    validity: { kind: "OPEN_ENDED", days: 0 },
    unsubscribeAtPeriodEnd: true,
    trialDays: 0,
    needsInstallation: false,
    needsNumber: false,
    allowances: [
      monthly(AllowanceUnit.ALLOWANCE_UNIT_DATA_KB, plan.dataKb),
      monthly(AllowanceUnit.ALLOWANCE_UNIT_VOICE_SECONDS, plan.voiceSeconds),
      monthly(AllowanceUnit.ALLOWANCE_UNIT_SMS_COUNT, plan.smsCount),
    ],
  };
}

/** The fixed id of a demo subscriber's plan product, so seeding again finds it. */
export function demoPlanProductId(subscriber: DemoSubscriber): string {
  return `prd_plan_${subscriber.subscriberId.slice("sub_".length)}`;
}

/**
 * Gives each demo subscriber their plan as an active product (started when their number was opened), and
 * publishes `orders.product.activated` for each so usage opens the plan's buckets. Idempotent: subscribers who
 * already hold their plan product are skipped. Returns how many products it created.
 */
export async function seedOrders(db: OrdersDb, options: { subscribers?: number; now?: Date } = {}): Promise<number> {
  const now = options.now ?? new Date();
  const plans = new Map(DEMO_PLANS.map((plan) => [plan.code, planTerms(plan)]));
  const subscribers = demoSubscribers(options.subscribers);
  const existing = new Set(
    (await db.product.findMany({ where: { orderId: null }, select: { id: true } })).map((product) => product.id),
  );
  const missing = subscribers.filter((subscriber) => !existing.has(demoPlanProductId(subscriber)));
  const BATCH = 200;
  for (let i = 0; i < missing.length; i += BATCH) {
    // A batch takes well under a second, but Prisma's default 5 s for an interactive transaction ran out on a
    // loaded test machine (a whole suite on 2 cores) and failed every test that seeds orders.
    await db.$transaction(
      async (tx) => {
        for (const subscriber of missing.slice(i, i + BATCH)) {
          const start = new Date(now);
          start.setUTCMonth(start.getUTCMonth() - subscriber.tenureMonths);
          await activateProduct(tx, {
            productId: demoPlanProductId(subscriber),
            subscriberId: subscriber.subscriberId,
            orderId: null,
            terms: plans.get(subscriber.planCode)!,
            timeZone: subscriber.timeZone,
            start,
          });
        }
      },
      { timeout: 60_000 },
    );
  }
  return missing.length;
}
