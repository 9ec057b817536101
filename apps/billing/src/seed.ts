import { demoSubscribers } from "@omnihall/demo-data";
import { newId } from "@omnihall/ids";
import { demoBills } from "./bills/demo-bills.js";
import type { BillingDb } from "./db.js";
import type { Prisma } from "./generated/prisma/client.js";

/**
 * Demo data: an account with an opening balance for every demo subscriber and six months of settled bills.
 * Runs once: a database that already has accounts is left alone.
 */
export async function seedBilling(db: BillingDb, options: { subscribers?: number; now?: Date } = {}): Promise<boolean> {
  if ((await db.account.count()) > 0) return false;
  const now = options.now ?? new Date();
  const subscribers = demoSubscribers(options.subscribers);
  const bills: Prisma.BillCreateManyInput[] = [];
  const lines: Prisma.BillLineCreateManyInput[] = [];
  for (const subscriber of subscribers) {
    for (const bill of demoBills(subscriber, now)) {
      const billId = newId("bill");
      const [year, month] = bill.billingMonth.split("-").map(Number);
      bills.push({
        id: billId,
        subscriberId: subscriber.subscriberId,
        billingMonth: bill.billingMonth,
        totalFen: bill.totalFen,
        status: "SETTLED",
        // Bills are issued on the 1st of the following month.
        issuedAt: new Date(Date.UTC(year!, month!, 1, 1)),
      });
      bill.lines.forEach((line, position) => lines.push({ id: newId("bline"), billId, position, ...line }));
    }
  }
  await db.$transaction([
    db.account.createMany({
      data: subscribers.map((s) => ({ subscriberId: s.subscriberId, balanceFen: s.balanceFen })),
      skipDuplicates: true,
    }),
    db.bill.createMany({ data: bills, skipDuplicates: true }),
    db.billLine.createMany({ data: lines, skipDuplicates: true }),
  ]);
  return true;
}
