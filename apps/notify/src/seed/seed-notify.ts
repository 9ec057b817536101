import { createPrismaClient } from "@omnihall/db";
import { demoSubscribers } from "@omnihall/demo-data";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { PrismaClient } from "../db.js";
import { requestHash } from "../request-hash.js";

/** Demo subscribers who ticked the marketing box when they signed up: every third one. */
export function demoConsentingSubscribers(): string[] {
  return demoSubscribers()
    .filter((_, index) => index % 3 === 0)
    .map((subscriber) => subscriber.subscriberId);
}

/**
 * Records marketing consent for the demo subscribers who gave it (so a demo campaign has an audience, and the
 * rest show the refusal). Idempotent: each record has a fixed request id. Returns how many this call added.
 */
export async function seedNotify(databaseUrl: string): Promise<{ consents: number }> {
  const db = createPrismaClient(PrismaClient, databaseUrl, { poolSize: 2 });
  try {
    const evidence = "demo data: web hall signup form, marketing box ticked";
    const { count } = await db.consentRecord.createMany({
      data: demoConsentingSubscribers().map((subscriberId) => {
        const change = { requestId: `seed-consent-${subscriberId}`, subscriberId, action: "GRANT" as const };
        return {
          id: `cns_seed_${subscriberId}`,
          ...change,
          requestHash: requestHash({ ...change, channel: Channel.CHANNEL_WEB_HALL, evidence }),
          channel: Channel.CHANNEL_WEB_HALL,
          evidence,
        };
      }),
      skipDuplicates: true,
    });
    return { consents: count };
  } finally {
    await db.$disconnect();
  }
}
