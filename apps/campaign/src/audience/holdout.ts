import { createHash } from "node:crypto";
import { Prisma } from "../generated/prisma/client.js";

/**
 * The holdout control group of a campaign: subscribers whose hash of (campaign id, subscriber id) falls into the
 * first `holdout_percent` of 100 buckets. Salted with the campaign, so each campaign holds out other people and
 * nobody is never contacted by any campaign; the same function in TypeScript and in SQL, so the audience
 * estimate, the SMS wave and the funnel's lift all agree on who is held out.
 */
export function holdoutBucket(campaignId: string, subscriberId: string): number {
  return createHash("sha256").update(`${campaignId}:${subscriberId}`).digest().readUInt32BE(0) % 100;
}

export function isHeldOut(campaignId: string, subscriberId: string, holdoutPercent: number): boolean {
  return holdoutBucket(campaignId, subscriberId) < holdoutPercent;
}

/** holdoutBucket over a query's `subscriber_id` column (the first 4 bytes of the same SHA-256, unsigned). */
export function holdoutBucketSql(campaignId: string, column = Prisma.raw("subscriber_id")): Prisma.Sql {
  return Prisma.sql`((('x' || substr(encode(sha256(convert_to(${campaignId} || ':' || ${column}, 'UTF8')), 'hex'), 1, 8))::bit(32)::bigint) % 100)`;
}
