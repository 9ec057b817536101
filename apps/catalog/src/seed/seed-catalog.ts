import { OfferingLifecycle } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { createCatalogDb } from "../db.js";
import type { OfferingLifecycle as StoredLifecycle } from "../generated/prisma/client.js";
import { newOfferingId, offeringTermsColumns } from "../offerings/offering-record.js";
import { validateOffering } from "../offerings/validate-offering.js";
import { enumName } from "../proto-enums.js";
import { DEMO_OFFERINGS } from "./demo-offerings.js";
import { demoNumberPool } from "./number-pool.js";
import { ROAMING_DESTINATIONS } from "./roaming-destinations.js";

export interface CatalogSeedResult {
  offerings: number;
  roamingDestinations: number;
  poolNumbers: number;
}

/**
 * Loads the demo catalog, roaming destinations and number pool into a migrated catalog database. Idempotent:
 * rows already there (by offering code, country code or number) are left as they are, so changes made through
 * the ops RPCs survive a re-seed. Returns how many rows this call added.
 */
export async function seedCatalog(databaseUrl: string): Promise<CatalogSeedResult> {
  const db = createCatalogDb(databaseUrl, 2);
  try {
    const offerings = await db.offering.createMany({
      data: DEMO_OFFERINGS.map((offering) => {
        const full = { ...offering, offeringId: "", createTime: undefined, updateTime: undefined };
        validateOffering(full);
        return {
          id: newOfferingId(),
          lifecycle: enumName(OfferingLifecycle, "OFFERING_LIFECYCLE_", offering.lifecycle) as StoredLifecycle,
          ...offeringTermsColumns(full),
        };
      }),
      skipDuplicates: true,
    });
    const roamingDestinations = await db.roamingDestination.createMany({
      data: ROAMING_DESTINATIONS.map((destination) => ({
        countryCode: destination.countryCode,
        nameZh: destination.name!.zhCn,
        nameEn: destination.name!.en,
        dataPerMbFen: destination.rates!.dataPerMbFen,
        voiceOutgoingPerMinuteFen: destination.rates!.voiceOutgoingPerMinuteFen,
        voiceIncomingPerMinuteFen: destination.rates!.voiceIncomingPerMinuteFen,
        smsPerMessageFen: destination.rates!.smsPerMessageFen,
      })),
      skipDuplicates: true,
    });
    const poolNumbers = await db.poolNumber.createMany({ data: demoNumberPool(), skipDuplicates: true });
    return {
      offerings: offerings.count,
      roamingDestinations: roamingDestinations.count,
      poolNumbers: poolNumbers.count,
    };
  } finally {
    await db.$disconnect();
  }
}
