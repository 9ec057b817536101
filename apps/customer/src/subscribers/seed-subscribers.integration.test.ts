import { demoSubscribers, DEMO_MSISDN } from "@omnihall/demo-data";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { describe, expect, it } from "vitest";
import { createCustomerDb } from "../db.js";
import { seedCustomer } from "./seed-subscribers.js";

describe("seedCustomer", () => {
  it("loads the 3000 demo subscribers once, keeping their ids, and leaves them alone on a second run", async () => {
    const database = await migratedTestDatabase(new URL("../..", import.meta.url));
    expect(await seedCustomer(database.url)).toEqual({ subscribers: 3000 });

    const db = createCustomerDb(database.url, 1);
    try {
      await db.subscriber.update({ where: { msisdn: DEMO_MSISDN }, data: { status: "SUSPENDED" } });
      expect(await seedCustomer(database.url)).toEqual({ subscribers: 0 });

      expect(await db.subscriber.count()).toBe(3000);
      const demo = await db.subscriber.findUniqueOrThrow({ where: { msisdn: DEMO_MSISDN } });
      expect(demo).toMatchObject({ id: demoSubscribers()[0]!.subscriberId, provinceCode: "GD", status: "SUSPENDED" });
    } finally {
      await db.$disconnect();
    }
  });
});
