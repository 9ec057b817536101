import { demoSubscribers } from "@omnihall/demo-data";
import { createCampaignDb } from "../db.js";
import { applyFacts } from "./import-facts.js";

const MS_PER_MONTH = 30 * 24 * 60 * 60_000;

/**
 * The audience facts of the demo subscribers (province, city, plan, tenure, consent), so a demo campaign's
 * estimate has an audience: what the customer service and notify know of them from the same demo data set
 * (notify's seed records consent for every third one). Spend and data use come later from events. Returns how
 * many facts were new.
 */
export async function seedCampaign(databaseUrl: string): Promise<{ facts: number }> {
  const db = createCampaignDb(databaseUrl, 2);
  try {
    const before = await db.audienceFact.count();
    const now = Date.now();
    await applyFacts(
      db,
      demoSubscribers().map((demo, index) => ({
        subscriberId: demo.subscriberId,
        provinceCode: demo.provinceCode,
        city: demo.city,
        planCode: demo.planCode,
        subscribeTime: new Date(now - demo.tenureMonths * MS_PER_MONTH),
        lastMonthSpendFen: undefined,
        lastMonthDataKb: undefined,
        marketingConsent: index % 3 === 0,
      })),
    );
    return { facts: (await db.audienceFact.count()) - before };
  } finally {
    await db.$disconnect();
  }
}
