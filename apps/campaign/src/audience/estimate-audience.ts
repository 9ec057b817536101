import type {
  Audience,
  EstimateAudienceRequest,
  EstimateAudienceResponse,
} from "@omnihall/proto/omnihall/campaign/v1/campaign";
import type { CallContext } from "@omnihall/service-kit";
import { Prisma } from "../generated/prisma/client.js";
import { assertMay, READ_ROLES } from "../campaigns/campaign-access.js";
import { isProvinceCode } from "../campaigns/provinces.js";
import type { CampaignDeps } from "../deps.js";
import { badField, provinceCodeUnknown } from "../errors.js";
import { holdoutBucketSql } from "./holdout.js";

/**
 * The audience's conditions as SQL over audience_fact. A fact never fed (NULL) matches no condition on it, so an
 * estimate never counts someone the service knows nothing about as matching.
 */
export function audienceConditions(audience: Audience, scopeProvince: string | undefined): Prisma.Sql[] {
  const conditions: Prisma.Sql[] = [];
  const provinces = audience.provinceCodes.length ? audience.provinceCodes : scopeProvince ? [scopeProvince] : [];
  if (provinces.length) conditions.push(Prisma.sql`province_code IN (${Prisma.join(provinces)})`);
  if (audience.cities.length) conditions.push(Prisma.sql`city IN (${Prisma.join(audience.cities)})`);
  if (audience.planCodes.length) conditions.push(Prisma.sql`plan_code IN (${Prisma.join(audience.planCodes)})`);
  if (audience.minTenureMonths > 0) {
    conditions.push(Prisma.sql`subscribed_time <= now() - make_interval(months => ${audience.minTenureMonths}::int)`);
  }
  const spend = audience.monthlySpend;
  if (spend && spend.minFen > 0n) conditions.push(Prisma.sql`last_month_spend_fen >= ${spend.minFen}`);
  if (spend && spend.maxFen > 0n) conditions.push(Prisma.sql`last_month_spend_fen < ${spend.maxFen}`);
  if (audience.minLastMonthDataKb > 0n)
    conditions.push(Prisma.sql`last_month_data_kb >= ${audience.minLastMonthDataKb}`);
  if (audience.maxLastMonthDataKb > 0n)
    conditions.push(Prisma.sql`last_month_data_kb < ${audience.maxLastMonthDataKb}`);
  return conditions;
}

/**
 * EstimateAudience: counts in the database (one aggregate over the facts, nothing loaded into memory). The
 * holdout is counted with the wave's function (see holdout.ts).
 */
export async function estimateAudience(
  deps: CampaignDeps,
  request: EstimateAudienceRequest,
  ctx: CallContext,
): Promise<EstimateAudienceResponse> {
  const audience = request.audience;
  if (!audience) {
    throw badField("AUDIENCE_INVALID", "audience", {
      "zh-CN": "请填写受众条件。",
      en: "The request needs the audience.",
    });
  }
  if (request.holdoutPercent < 0 || request.holdoutPercent > 50) {
    throw badField("HOLDOUT_INVALID", "holdout_percent", {
      "zh-CN": "对照组比例应在 0 至 50% 之间。",
      en: "The holdout must be 0 to 50 percent.",
    });
  }
  const scopeProvince = request.scope?.national ? undefined : request.scope?.provinceCode || undefined;
  if (scopeProvince !== undefined && !isProvinceCode(scopeProvince)) {
    throw provinceCodeUnknown("scope.province_code", scopeProvince);
  }
  for (const [index, code] of audience.provinceCodes.entries()) {
    if (!isProvinceCode(code)) throw provinceCodeUnknown(`audience.province_codes[${index}]`, code);
  }
  // Seeing an audience's size is seeing the audience: only of a scope the operator works in, province by province.
  assertMay(ctx, READ_ROLES, scopeProvince ?? null);
  for (const code of audience.provinceCodes) assertMay(ctx, READ_ROLES, code);

  const conditions = audienceConditions(audience, scopeProvince);
  const where = conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty;
  const consent = audience.marketingConsentRequired ? Prisma.sql`marketing_consent IS TRUE` : Prisma.sql`TRUE`;
  // The wave's own function; the request names no campaign (a draft has no id yet), so it is salted with none:
  // the same share of the audience as the wave will hold out, counted over other people.
  const held = Prisma.sql`${holdoutBucketSql("")} < ${request.holdoutPercent}`;
  const [counts] = await deps.db.$queryRaw<
    Array<{ matching: bigint; reachable: bigint; holdout: bigint; facts_time: Date | null }>
  >`
    SELECT count(*) AS matching,
           count(*) FILTER (WHERE ${consent} AND NOT ${held}) AS reachable,
           count(*) FILTER (WHERE ${consent} AND ${held}) AS holdout,
           max(update_time) AS facts_time
      FROM audience_fact ${where}`;
  return {
    matching: counts?.matching ?? 0n,
    reachable: counts?.reachable ?? 0n,
    holdout: counts?.holdout ?? 0n,
    factsTime: counts?.facts_time ?? undefined,
  };
}
