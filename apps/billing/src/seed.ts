import { demoSubscribers, type DemoSubscriber } from "@omnihall/demo-data";
import { newId } from "@omnihall/ids";
import { demoBills } from "./bills/demo-bills.js";
import type { BillingDb } from "./db.js";
import { seedPoints } from "./points/seed-points.js";

/**
 * Demo data: an account with an opening balance for every demo subscriber, six months of settled bills, the points
 * catalog and opening points balances. Runs once: a database that already has accounts keeps them (and gets the
 * points part only if it has none). Rows go in as whole columns through unnest —
 * one statement per table instead of tens of thousands of bound parameters.
 */
export async function seedBilling(db: BillingDb, options: { subscribers?: number; now?: Date } = {}): Promise<boolean> {
  const now = options.now ?? new Date();
  const subscribers = demoSubscribers(options.subscribers);
  const accountsSeeded = await seedAccounts(db, subscribers, now);
  const pointsSeeded = await seedPoints(db, subscribers, now);
  return accountsSeeded || pointsSeeded;
}

async function seedAccounts(db: BillingDb, subscribers: DemoSubscriber[], now: Date): Promise<boolean> {
  if ((await db.account.count()) > 0) return false;
  const bills = {
    id: [] as string[],
    subscriber: [] as string[],
    month: [] as string[],
    total: [] as string[],
    issued: [] as Date[],
  };
  const lines = {
    id: [] as string[],
    bill: [] as string[],
    position: [] as number[],
    kind: [] as string[],
    zh: [] as string[],
    en: [] as string[],
    amount: [] as string[],
  };
  for (const subscriber of subscribers) {
    for (const bill of demoBills(subscriber, now)) {
      const billId = newId("bill");
      const [year, month] = bill.billingMonth.split("-").map(Number);
      bills.id.push(billId);
      bills.subscriber.push(subscriber.subscriberId);
      bills.month.push(bill.billingMonth);
      bills.total.push(String(bill.totalFen));
      // Bills are issued on the 1st of the following month.
      bills.issued.push(new Date(Date.UTC(year!, month!, 1, 1)));
      bill.lines.forEach((line, position) => {
        lines.id.push(newId("bline"));
        lines.bill.push(billId);
        lines.position.push(position);
        lines.kind.push(line.kind);
        lines.zh.push(line.descriptionZh);
        lines.en.push(line.descriptionEn);
        lines.amount.push(String(line.amountFen));
      });
    }
  }
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`
      INSERT INTO account (subscriber_id, balance_fen)
      SELECT * FROM unnest(${subscribers.map((s) => s.subscriberId)}::text[], ${subscribers.map((s) => String(s.balanceFen))}::bigint[])`;
    await tx.$executeRaw`
      INSERT INTO bill (id, subscriber_id, billing_month, total_fen, status, issued_at)
      SELECT id, subscriber_id, billing_month, total_fen, 'SETTLED', issued_at
      FROM unnest(${bills.id}::text[], ${bills.subscriber}::text[], ${bills.month}::text[], ${bills.total}::bigint[], ${bills.issued}::timestamptz[])
        AS b(id, subscriber_id, billing_month, total_fen, issued_at)`;
    await tx.$executeRaw`
      INSERT INTO bill_line (id, bill_id, position, kind, description_zh, description_en, amount_fen)
      SELECT * FROM unnest(${lines.id}::text[], ${lines.bill}::text[], ${lines.position}::int[], ${lines.kind}::text[],
        ${lines.zh}::text[], ${lines.en}::text[], ${lines.amount}::bigint[])`;
  });
  return true;
}
