import { demoSubscribers } from "@omnihall/demo-data";
import { loadCustomerConfig } from "../config.js";
import { createCustomerDb } from "../db.js";
import { documentKeyOf, seedIdDocuments } from "../terminals/id-documents.js";

const MS_PER_MONTH = 30 * 24 * 60 * 60_000;

/**
 * Loads the demo subscribers (the same ids and numbers every service seeds) into a migrated customer database.
 * Idempotent: subscribers already there are left as they are. Returns how many this call added.
 */
export async function seedCustomer(
  databaseUrl: string,
  options: { now?: Date; loginCodeSecret?: string } = {},
): Promise<{ subscribers: number }> {
  const now = options.now ?? new Date();
  const db = createCustomerDb(databaseUrl, 2);
  try {
    const { count } = await db.subscriber.createMany({
      data: demoSubscribers().map((demo) => ({
        id: demo.subscriberId,
        msisdn: demo.msisdn,
        displayName: demo.displayName,
        provinceCode: demo.provinceCode,
        city: demo.city,
        planCode: demo.planCode,
        status: "ACTIVE" as const,
        languageCode: demo.languageCode,
        timeZone: demo.timeZone,
        createdAt: new Date(now.getTime() - demo.tenureMonths * MS_PER_MONTH),
      })),
      skipDuplicates: true,
    });
    // Their ID cards, for the kiosk's card reader; hashed under the key the service derives from the same secret.
    // The same secret the service runs with (npm start passes its environment on), else the development one.
    const secret = options.loginCodeSecret ?? process.env.LOGIN_CODE_SECRET ?? loadCustomerConfig({}).LOGIN_CODE_SECRET;
    await seedIdDocuments(db, documentKeyOf(secret));
    return { subscribers: count };
  } finally {
    await db.$disconnect();
  }
}
