import { WorkLoop, type Logger } from "@omnihall/bus";
import type { CallOptions } from "@omnihall/channel-client";
import { CampaignSpec } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import {
  MarketingOutcome,
  type GetCampaignDeliveryStatsRequest,
  type GetCampaignDeliveryStatsResponse,
  type SendMarketingBatchRequest,
  type SendMarketingBatchResponse,
  type WithdrawCampaignMessagesRequest,
  type WithdrawCampaignMessagesResponse,
} from "@omnihall/proto/omnihall/notify/v1/notify";
import { audienceConditions } from "../audience/estimate-audience.js";
import { isHeldOut } from "../audience/holdout.js";
import { effectiveCap, releaseContacts, reserveContacts } from "../caps/frequency-cap.js";
import { recordContact } from "../funnel/contacts.js";
import type { CampaignDb } from "../db.js";
import { Prisma, type Wave } from "../generated/prisma/client.js";

/** The NotifyService methods a wave uses (a `createServiceClient(NotifyServiceClient, …)` fits). */
export interface WaveNotify {
  sendMarketingBatch(request: SendMarketingBatchRequest, options?: CallOptions): Promise<SendMarketingBatchResponse>;
  withdrawCampaignMessages(
    request: WithdrawCampaignMessagesRequest,
    options?: CallOptions,
  ): Promise<WithdrawCampaignMessagesResponse>;
  getCampaignDeliveryStats(
    request: GetCampaignDeliveryStatsRequest,
    options?: CallOptions,
  ): Promise<GetCampaignDeliveryStatsResponse>;
}

export interface WaveRunnerOptions {
  /** Audience members read and handed over per batch (notify takes at most 500). Default 500. */
  batchSize?: number;
  /** How often campaign changes are looked for (launch, pause, resume, end). Default 500 ms. */
  pollIntervalMs?: number;
  /** How long a runner owns a wave per batch; another instance takes it over after. Default 60 s. */
  leaseMs?: number;
  /** Platform-wide cap of marketing messages per subscriber (0: only campaigns' own). */
  frequencyCap: number;
  frequencyWindowDays: number;
  logger: Logger;
}

/** The dedupe key of a campaign's SMS to one subscriber: notify sends one per key, however often handed over. */
export const waveDedupeKey = (campaignId: string, subscriberId: string) => `campaign:${campaignId}:${subscriberId}`;

/** How long one batch's hand-over may take (well within the lease). */
const HAND_OVER_DEADLINE_MS = 30_000;

const isSmsCampaign = (spec: CampaignSpec) =>
  spec.channels.some((placement) => placement.channel === Channel.CHANNEL_SMS_HALL);

/**
 * The outbound SMS waves. Each round: bring the waves in line with their campaigns (a LIVE campaign on the SMS
 * hall gets a wave; pausing or ending one stops it and has notify withdraw what it has not sent; resuming goes on
 * from the cursor), then take one wave with work (a lease, so several instances share the waves, never one wave
 * twice at once) and do one batch of it:
 *
 * 1. read the next `batchSize` audience members after the cursor (keyset over audience_fact's primary key: the
 *    whole base is never in memory, and the audience conditions are the estimate's own SQL);
 * 2. leave out the holdout (salted per campaign), those without consent in the facts, and those over the
 *    frequency cap (reserved before handing over, see caps);
 * 3. hand the rest to notify's SendMarketingBatch with a dedupe key per campaign and subscriber (no transaction
 *    open meanwhile), which checks consent itself and again right before each send;
 * 4. commit the counts and the cursor in one transaction, only while the lease is still ours.
 *
 * A crash between 3 and 4 hands the batch over again after a restart; notify answers DUPLICATE and nobody is
 * texted twice.
 */
export class WaveRunner {
  private readonly loop: WorkLoop;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly log: Logger;

  constructor(
    private readonly db: CampaignDb,
    private readonly notify: WaveNotify,
    private readonly options: WaveRunnerOptions,
  ) {
    this.batchSize = Math.min(options.batchSize ?? 500, 500);
    this.leaseMs = options.leaseMs ?? 60_000;
    this.log = options.logger.child({ component: "wave" });
    this.loop = new WorkLoop({
      round: () => this.round(),
      pollIntervalMs: options.pollIntervalMs ?? 500,
      backoff: { initialMs: 500, maxMs: 30_000 },
      logger: this.log,
      failureMessage: "wave round failed; trying again after a pause",
    });
  }

  start(): void {
    this.loop.start();
  }

  /** A campaign changed state: look now. */
  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async round(): Promise<boolean> {
    await this.followCampaigns();
    const wave = await this.claim();
    if (!wave) return false;
    try {
      if (wave.withdrawPending) await this.withdraw(wave);
      else await this.batch(wave);
    } finally {
      await this.db.wave.updateMany({
        where: { campaignId: wave.campaignId, leaseUntil: wave.leaseUntil },
        data: { leaseUntil: null },
      });
    }
    return true;
  }

  /** Waves follow their campaigns' states (a few set-based statements; new waves for newly live SMS campaigns). */
  private async followCampaigns(): Promise<void> {
    const fresh = await this.db.$queryRaw<Array<{ id: string; spec: unknown }>>`
      SELECT c.id, c.spec FROM campaign c LEFT JOIN wave w ON w.campaign_id = c.id
      WHERE c.state = 'LIVE' AND w.campaign_id IS NULL`;
    const sms = fresh.filter((row) => isSmsCampaign(CampaignSpec.fromJSON(row.spec)));
    if (sms.length) {
      await this.db.wave.createMany({
        data: sms.map((row) => ({ campaignId: row.id, state: "RUNNING" as const })),
        skipDuplicates: true,
      });
      this.log.info({ campaigns: sms.map((row) => row.id) }, "SMS waves started");
    }
    await this.db.$executeRaw`
      UPDATE wave w SET state = 'PAUSED', withdraw_pending = true, update_time = now()
      FROM campaign c WHERE c.id = w.campaign_id AND c.state IN ('PAUSED', 'SCHEDULED')
        AND w.state IN ('RUNNING', 'COMPLETED')`;
    await this.db.$executeRaw`
      UPDATE wave w SET state = 'ENDED', withdraw_pending = true, update_time = now()
      FROM campaign c WHERE c.id = w.campaign_id AND c.state = 'ENDED' AND w.state <> 'ENDED'`;
    await this.db.$executeRaw`
      UPDATE wave w SET state = 'RUNNING', update_time = now()
      FROM campaign c WHERE c.id = w.campaign_id AND c.state = 'LIVE' AND w.state = 'PAUSED'`;
  }

  /** One wave with work whose lease is free: running, or waiting for its withdrawal. */
  private async claim(): Promise<Wave | undefined> {
    const [row] = await this.db.$queryRaw<Array<{ campaign_id: string }>>`
      UPDATE wave SET lease_until = now() + ${this.leaseMs}::int * interval '1 millisecond'
      WHERE campaign_id = (
        SELECT campaign_id FROM wave
        WHERE (state = 'RUNNING' OR withdraw_pending) AND (lease_until IS NULL OR lease_until < now())
        ORDER BY withdraw_pending DESC, update_time
        LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING campaign_id`;
    return row ? ((await this.db.wave.findUnique({ where: { campaignId: row.campaign_id } })) ?? undefined) : undefined;
  }

  /** A paused or ended campaign: notify's unsent messages of it are withdrawn (repeated until it answers). */
  private async withdraw(wave: Wave): Promise<void> {
    const { withdrawn } = await this.notify.withdrawCampaignMessages({ campaignId: wave.campaignId });
    await this.db.wave.updateMany({
      where: { campaignId: wave.campaignId, leaseUntil: wave.leaseUntil },
      data: { withdrawPending: false, updateTime: new Date() },
    });
    this.log.info(
      { campaignId: wave.campaignId, withdrawn: Number(withdrawn) },
      "wave stopped; unsent messages withdrawn",
    );
  }

  private async batch(wave: Wave): Promise<void> {
    const campaign = await this.db.campaign.findUnique({ where: { id: wave.campaignId } });
    if (campaign?.state !== "LIVE") return; // followCampaigns pauses or ends it next round
    const spec = CampaignSpec.fromJSON(campaign.spec);
    const creative = spec.channels.find((placement) => placement.channel === Channel.CHANNEL_SMS_HALL)?.creative;
    const conditions = audienceConditions(spec.audience!, campaign.provinceCode ?? undefined);
    const rows = await this.db.$queryRaw<Array<{ subscriber_id: string; marketing_consent: boolean | null }>>`
      SELECT subscriber_id, marketing_consent FROM audience_fact
      WHERE subscriber_id > ${wave.cursor} ${conditions.length ? Prisma.sql`AND ${Prisma.join(conditions, " AND ")}` : Prisma.empty}
      ORDER BY subscriber_id
      LIMIT ${this.batchSize}`;
    if (rows.length === 0) {
      await this.db.wave.updateMany({
        where: { campaignId: wave.campaignId, leaseUntil: wave.leaseUntil },
        data: { state: "COMPLETED", updateTime: new Date() },
      });
      this.log.info({ campaignId: wave.campaignId, counted: Number(wave.counted) }, "SMS wave walked its audience");
      return;
    }

    const holdout = rows.filter((row) => isHeldOut(wave.campaignId, row.subscriber_id, spec.holdoutPercent));
    const contactable = rows.filter((row) => !holdout.includes(row));
    const noConsent = contactable.filter((row) => row.marketing_consent !== true);
    const candidates = contactable.filter((row) => row.marketing_consent === true).map((row) => row.subscriber_id);
    const cap = effectiveCap(
      spec.caps?.perSubscriberFrequency ?? 0,
      this.options.frequencyCap,
      this.options.frequencyWindowDays,
    );
    const { allowed, capped } = await reserveContacts(this.db, wave.campaignId, candidates, cap);

    let handed: string[] = [];
    let refused: string[] = [];
    if (allowed.length) {
      // A pause committed since this batch began: hand nothing more over.
      const still = await this.db.campaign.findUnique({ where: { id: wave.campaignId }, select: { state: true } });
      if (still?.state !== "LIVE") {
        await releaseContacts(this.db, wave.campaignId, allowed);
        return;
      }
      // The SMS text as the author wrote and the approver saw it (its reply keyword in it); notify adds the
      // signature and the opt-out hint.
      const { results } = await this.notify.sendMarketingBatch(
        {
          campaignId: wave.campaignId,
          channel: Channel.CHANNEL_SMS_HALL,
          text: { zhCn: creative?.smsText?.zhCn ?? "", en: creative?.smsText?.en ?? "" },
          recipients: allowed.map((subscriberId) => ({
            subscriberId,
            dedupeKey: waveDedupeKey(wave.campaignId, subscriberId),
          })),
          // 500 recipients notify may have to look up first; a retry is safe (dedupe keys) but costs as much.
        },
        { deadlineMs: HAND_OVER_DEADLINE_MS },
      );
      const taken = new Set([MarketingOutcome.MARKETING_OUTCOME_QUEUED, MarketingOutcome.MARKETING_OUTCOME_DUPLICATE]);
      handed = results.filter((result) => taken.has(result.outcome)).map((result) => result.subscriberId);
      refused = results.filter((result) => !taken.has(result.outcome)).map((result) => result.subscriberId);
    }

    const now = new Date();
    await this.db.$transaction(async (tx) => {
      const { count } = await tx.wave.updateMany({
        where: { campaignId: wave.campaignId, leaseUntil: wave.leaseUntil },
        data: {
          cursor: rows.at(-1)!.subscriber_id,
          counted: { increment: rows.length },
          handedOver: { increment: handed.length },
          skippedHoldout: { increment: holdout.length },
          skippedNoConsent: { increment: noConsent.length },
          skippedFrequencyCap: { increment: capped.length },
          refusedByNotify: { increment: refused.length },
          updateTime: now,
        },
      });
      // Lost the lease (this batch took too long): the new owner redoes it, notify's dedupe keys keep it single.
      if (count === 0) throw new Error(`lost the lease of wave ${wave.campaignId}`);
      await releaseContacts(tx, wave.campaignId, refused);
      // The funnel's contacts: an opt-out soon after is attributed to the campaigns that texted the subscriber.
      for (const subscriberId of handed) {
        await recordContact(tx, { campaignId: wave.campaignId, subscriberId, channel: "CHANNEL_SMS_HALL", time: now });
      }
    });
  }
}
