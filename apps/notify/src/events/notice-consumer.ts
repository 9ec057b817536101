import { consume, type EventConsumer, type EventBus, type ReceivedEvent } from "@omnihall/bus";
import type { CallOptions } from "@omnihall/channel-client";
import { open, publicKeyOf, SealedBoxError } from "@omnihall/sealed-box";
import { DomainError } from "@omnihall/service-kit";
import type { Logger } from "pino";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type {
  GetRoamingDestinationRequest,
  GetRoamingDestinationResponse,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { NotifyTx } from "../db.js";
import { queueMessage } from "../messages/queue-message.js";
import { MASK, sealMessageText } from "../messages/sealed-text.js";
import { loginCodeNotice } from "../notices/login-code.js";
import type { Notice } from "../notices/notice.js";
import { confirmationNotice, installationNotice, orderStateNotice } from "../notices/order-notices.js";
import { paymentReceiptNotice } from "../notices/payment-receipt.js";
import { productExpiringNotice } from "../notices/product-expiring.js";
import { quotaThresholdNotice, roamingWelcomeNotice, usageSummaryNotice } from "../notices/usage-notices.js";
import type { Recipient } from "../recipients/recipient.js";
import type { NotifyDeps } from "../service-deps.js";
import { renderMessage, messageLanguage } from "../templates/render.js";
import { NOTICE_EVENTS } from "./notify-events.js";

/** The one CatalogService method notify calls, for the roaming welcome's rates and packs. */
export interface RoamingCatalog {
  getRoamingDestination(
    request: GetRoamingDestinationRequest,
    options?: CallOptions,
  ): Promise<GetRoamingDestinationResponse>;
}

export interface NoticeConsumerOptions {
  deps: NotifyDeps;
  bus: EventBus;
  catalog: RoamingCatalog;
  /** Durable consumer name prefix: `<consumer>--notices`. "notify" in production; tests use their own. */
  consumer: string;
  /** How long an event may stay unacknowledged before it is delivered again. */
  ackWaitMs: number;
  /** NOTIFY_PRIVATE_KEY: opens login codes, and seals texts holding a secret until they are sent. */
  privateKey: string;
  logger: Logger;
}

type NoticeEvent = ReceivedEvent<(typeof NOTICE_EVENTS)[number]>;

/** Who an event's message goes to and what it says (nothing, for an event that calls for no message). */
interface FoundNotice {
  recipient: Recipient;
  notice: Notice | undefined;
  channel: Channel;
}

/**
 * Turns other domains' events into service messages: each event is applied once (processed_message) and each
 * fact makes at most one message (the notice's dedupe key), so redeliveries, duplicate publishes and restarts
 * neither lose nor repeat a message. Durables start from new events: a first deployment does not text
 * subscribers about everything still in the streams.
 */
export function startNoticeConsumer(options: NoticeConsumerOptions): Promise<EventConsumer> {
  const { deps, catalog, privateKey } = options;
  const publicKey = publicKeyOf(privateKey);
  return consume(options.bus, {
    durable: `${options.consumer}--notices`,
    events: NOTICE_EVENTS,
    db: deps.db,
    deliverFrom: "new",
    ackWaitMs: options.ackWaitMs,
    logger: options.logger,
    // The recipient lookup (customer) and the roaming rates (catalog) are network calls: made before the
    // transaction that queues the message, never inside it.
    prepare: async (event, { log, requestId }): Promise<FoundNotice | undefined> => {
      try {
        return await noticeFor(event as NoticeEvent, { deps, catalog, requestId, privateKey });
      } catch (error) {
        // An event about a number the customer service does not know can never be sent: drop it, loudly.
        if (error instanceof DomainError && error.reason === "SUBSCRIBER_NOT_FOUND") {
          log.warn({}, "event names an unknown subscriber; no message sent");
          return undefined;
        }
        // Nor can a code that does not open (sealed to another key: a key mismatch between customer and notify).
        if (error instanceof SealedBoxError) {
          log.error({ err: error }, "login code does not open with NOTIFY_PRIVATE_KEY; no message sent");
          return undefined;
        }
        throw error;
      }
    },
    handler: async (_event, { tx, log, prepared: found }) => {
      if (!found) return;
      if (!found.notice) {
        log.info({}, "event calls for no message");
        return;
      }
      await queueNotice(tx, deps, publicKey, found.recipient, found.notice, found.channel);
    },
  });
}

async function queueNotice(
  tx: NotifyTx,
  deps: NotifyDeps,
  publicKey: string,
  recipient: Recipient,
  notice: Notice,
  channel: Channel,
) {
  const render = (variables: Record<string, string>) => {
    const rendered = renderMessage({ ...notice, variables, kind: "SERVICE", language: recipient.language });
    // Notices are built by this service; a failure here is a bug worth retrying after a fix, not dropping.
    if (!rendered.ok) throw new Error(`Notice ${notice.templateCode} does not render: ${JSON.stringify(rendered)}`);
    return rendered.text;
  };
  const secrets = notice.secretVariables ?? [];
  const masked = Object.fromEntries(secrets.map((name) => [name, MASK]));
  const text = render({ ...notice.variables, ...masked });
  const sealedText = secrets.length
    ? sealMessageText(publicKey, render(notice.variables), recipient.msisdn)
    : undefined;
  await queueMessage(
    tx,
    {
      dedupeKey: notice.dedupeKey,
      requestHash: "",
      recipient,
      kind: "SERVICE",
      templateCode: notice.templateCode,
      text,
      sealedText,
      campaignId: "",
      channel,
    },
    deps.policy,
  );
}

async function noticeFor(
  event: NoticeEvent,
  context: { deps: NotifyDeps; catalog: RoamingCatalog; requestId: string | undefined; privateKey: string },
): Promise<FoundNotice> {
  const { deps, catalog, requestId } = context;
  const lookUp = (subscriberId: string) => deps.recipients.byId(subscriberId, requestId);
  const system = Channel.CHANNEL_SYSTEM;
  switch (event.subject) {
    case "customer.login_code.issued": {
      const login = event.message;
      // The event carries everything: a login must not wait on (or fail with) a customer lookup. The time zone
      // only matters for marketing quiet hours, so the platform default does.
      const recipient: Recipient = {
        subscriberId: login.subscriberId,
        msisdn: login.msisdn,
        language: messageLanguage(login.languageCode),
        timeZone: "Asia/Shanghai",
        active: true,
      };
      const now = new Date();
      // A code that has expired on the way is useless to the subscriber; texting it would only confuse.
      const expired = login.expireTime !== undefined && login.expireTime <= now;
      if (expired) return { recipient, notice: undefined, channel: login.channel };
      // Events published before codes were sealed carry the code in plain text (deprecated field).
      const code = login.sealedCode.length
        ? open(context.privateKey, login.sealedCode, `${event.subject}:${login.msisdn}`).toString()
        : login.code;
      return { recipient, notice: loginCodeNotice(login, code, now), channel: login.channel };
    }
    case "usage.quota.threshold_crossed": {
      const recipient = await lookUp(event.message.subscriberId);
      return { recipient, notice: quotaThresholdNotice(event.message, recipient.language), channel: system };
    }
    case "usage.roaming.entered": {
      const recipient = await lookUp(event.message.subscriberId);
      const found = await roamingDestination(catalog, event.message.countryCode, requestId);
      const notice =
        found?.destination && roamingWelcomeNotice(event.message, found.destination, found.packs, recipient.language);
      return { recipient, notice, channel: system };
    }
    case "usage.summary.due": {
      const recipient = await lookUp(event.message.subscriberId);
      return { recipient, notice: usageSummaryNotice(event.message, recipient.language), channel: system };
    }
    case "orders.product.expiring": {
      const recipient = await lookUp(event.message.product!.subscriberId);
      const notice = productExpiringNotice(event.message, recipient.language, recipient.timeZone);
      return { recipient, notice, channel: system };
    }
    case "orders.confirmation.requested": {
      const recipient = { ...(await lookUp(event.message.subscriberId)), msisdn: event.message.msisdn };
      return {
        recipient,
        notice: confirmationNotice(event.message, recipient.language),
        channel: event.message.channel,
      };
    }
    case "orders.installation.progressed": {
      const order = event.message.order!;
      const recipient = await lookUp(order.subscriberId);
      const notice = installationNotice(event.message, recipient.language, recipient.timeZone);
      return { recipient, notice, channel: order.channel };
    }
    case "billing.payment.succeeded": {
      const payment = event.message.payment!;
      // Most payments call for no receipt: look nobody up for them.
      if (!payment.takenBy?.agentId) return { recipient: NOBODY, notice: undefined, channel: payment.channel };
      const recipient = await lookUp(payment.subscriberId);
      const notice = paymentReceiptNotice(payment, recipient.language, recipient.timeZone);
      return { recipient, notice, channel: payment.channel };
    }
    default: {
      // orders.order.<state>
      const order = event.message.order!;
      const recipient = await lookUp(order.subscriberId);
      return { recipient, notice: orderStateNotice(event.message, recipient.language), channel: order.channel };
    }
  }
}

/** The recipient of an event that calls for no message (nobody is looked up or texted). */
const NOBODY: Recipient = { subscriberId: "", msisdn: "", language: "zh-CN", timeZone: "Asia/Shanghai", active: false };

/** The destination's rates and packs; undefined for a country the catalog does not serve (no welcome to send). */
async function roamingDestination(catalog: RoamingCatalog, countryCode: string, requestId: string | undefined) {
  try {
    return await catalog.getRoamingDestination(
      { countryCode, provinceCode: "", channel: Channel.CHANNEL_UNSPECIFIED },
      { requestId },
    );
  } catch (error) {
    if ((error as { reason?: string }).reason === "ROAMING_DESTINATION_NOT_FOUND") return undefined;
    throw error;
  }
}
