import { migratedTestDatabase } from "@omnihall/db/testing";
import { describe, expect, it } from "vitest";
import { createCatalogDb } from "../db.js";
import { DEMO_OFFERINGS } from "./demo-offerings.js";
import { demoNumberPool } from "./number-pool.js";
import { ROAMING_DESTINATIONS } from "./roaming-destinations.js";
import { seedCatalog } from "./seed-catalog.js";

describe("seedCatalog", () => {
  it("loads the demo catalog once and leaves later changes alone when run again", async () => {
    const database = await migratedTestDatabase(new URL("../..", import.meta.url));
    const first = await seedCatalog(database.url);
    expect(first).toEqual({
      offerings: DEMO_OFFERINGS.length,
      roamingDestinations: ROAMING_DESTINATIONS.length,
      poolNumbers: demoNumberPool().length,
    });

    const db = createCatalogDb(database.url, 1);
    try {
      await db.offering.update({ where: { code: "DATA_10GB_MONTH" }, data: { priceFen: 2500n } });
      expect(await seedCatalog(database.url)).toEqual({ offerings: 0, roamingDestinations: 0, poolNumbers: 0 });
      const pack = await db.offering.findUniqueOrThrow({ where: { code: "DATA_10GB_MONTH" } });
      expect(pack.priceFen).toBe(2500n);
      expect(await db.offering.count({ where: { lifecycle: "ACTIVE" } })).toBe(DEMO_OFFERINGS.length - 2);
    } finally {
      await db.$disconnect();
    }
  });
});
