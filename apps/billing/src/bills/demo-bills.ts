import { DEMO_PLANS, type DemoSubscriber } from "@omnihall/demo-data";

export type BillLineKindName = "PLAN_FEE" | "DATA" | "VOICE" | "SMS" | "VALUE_ADDED" | "ROAMING" | "DISCOUNT";

export interface DemoBillLine {
  kind: BillLineKindName;
  descriptionZh: string;
  descriptionEn: string;
  amountFen: bigint;
}

export interface DemoBill {
  billingMonth: string;
  lines: DemoBillLine[];
  totalFen: bigint;
}

/** "YYYY-MM" of the month `monthsBack` before the month of `now` (UTC). */
export function monthBefore(now: Date, monthsBack: number): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** A stable small number from a string, so each subscriber's demo bills look different but never change. */
function hashOf(text: string): number {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

/**
 * Six (or `months`) past monthly bills for a demo subscriber: the plan fee plus, some months, data and voice
 * beyond the allowance, SMS, a value-added service, roaming and a loyalty discount.
 */
export function demoBills(subscriber: DemoSubscriber, now: Date, months = 6): DemoBill[] {
  const plan = DEMO_PLANS.find((p) => p.code === subscriber.planCode) ?? DEMO_PLANS[0]!;
  const bills: DemoBill[] = [];
  for (let back = 1; back <= months; back++) {
    const billingMonth = monthBefore(now, back);
    const h = hashOf(`${subscriber.subscriberId}:${billingMonth}`);
    const lines: DemoBillLine[] = [
      {
        kind: "PLAN_FEE",
        descriptionZh: `${plan.nameZh}月功能费`,
        descriptionEn: `${plan.nameEn} monthly fee`,
        amountFen: plan.monthlyFeeFen,
      },
    ];
    if (h % 4 === 0)
      lines.push({
        kind: "DATA",
        descriptionZh: "套餐外流量费",
        descriptionEn: "Data beyond allowance",
        amountFen: BigInt(300 + (h % 2000)),
      });
    if (h % 5 === 1)
      lines.push({
        kind: "VOICE",
        descriptionZh: "套餐外语音通话费",
        descriptionEn: "Calls beyond allowance",
        amountFen: BigInt(100 + (h % 900)),
      });
    if (h % 3 === 2)
      lines.push({
        kind: "SMS",
        descriptionZh: "短信费",
        descriptionEn: "Text messages",
        amountFen: BigInt(10 * (1 + (h % 30))),
      });
    if (h % 7 === 3)
      lines.push({
        kind: "VALUE_ADDED",
        descriptionZh: "视频会员权益包",
        descriptionEn: "Video membership pack",
        amountFen: 1500n,
      });
    if (h % 23 === 5)
      lines.push({
        kind: "ROAMING",
        descriptionZh: "国际漫游费（日本）",
        descriptionEn: "International roaming (Japan)",
        amountFen: BigInt(2000 + (h % 5000)),
      });
    if (subscriber.tenureMonths > 24)
      lines.push({
        kind: "DISCOUNT",
        descriptionZh: "老用户优惠",
        descriptionEn: "Loyalty discount",
        amountFen: -500n,
      });
    bills.push({ billingMonth, lines, totalFen: lines.reduce((sum, l) => sum + l.amountFen, 0n) });
  }
  return bills;
}
