import { createHash } from "node:crypto";
import { ServiceCallError } from "@omnihall/channel-client";
import type { InboundMessage } from "@omnihall/sms-link";
import { AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import { InteractionKind } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { MessageKind } from "@omnihall/proto/omnihall/notify/v1/notify";
import { OrderState, type Order } from "@omnihall/proto/omnihall/orders/v1/orders";
import { SubscriberStatus } from "@omnihall/proto/omnihall/customer/v1/customer";
import type { ActingParty } from "@omnihall/service-kit";
import type { Logger } from "pino";
import type { SmsHallClients } from "../clients.js";
import { REPLIES } from "../replies/texts.js";
import { commandTableFor, parseCommand, type CommandTable } from "../understanding/commands.js";
import { IntentModel } from "../understanding/intent-model.js";
import { interpret, type Request } from "../understanding/interpret.js";
import { writtenLanguage, type Language } from "../understanding/normalize.js";
import { NumberLanes } from "./number-lanes.js";
import { PromptMemory } from "./prompts.js";
import { NumberRateLimit } from "./rate-limit.js";

/** The notify template every reply of the service number goes out with (free text, SMS hall only). */
export const REPLY_TEMPLATE = "SMS_HALL_REPLY";
/** Longest text read: past it, nothing a subscriber means by SMS is lost, and matching stays cheap. */
const MAX_READ_CHARS = 500;
/** What a campaign reply keyword can look like (the campaign service's rule): only such texts are asked about. */
const REPLY_KEYWORD = /^[A-Z0-9]{1,8}$/;
/** campaignReply's "not a campaign reply": the text is read as usual. */
const NO_CAMPAIGN = Symbol("no campaign");

export interface SmsHallOptions {
  clients: SmsHallClients;
  logger: Logger;
  /** Messages per number per minute before it is told to slow down. */
  messagesPerMinute: number;
  /** Messages one number may have waiting; more are dropped. */
  maxQueuedPerNumber: number;
  /** Messages handled at once across all numbers (the rest wait their turn in order). */
  maxConcurrent: number;
  /** How long a numbered list ("0000") can be answered by its numbers. */
  promptTtlMs: number;
  /** Called after each message is handled (benchmarks and tests wait on it). */
  onHandled?: (message: InboundMessage, outcome: "replied" | "silent" | "failed") => void;
}

interface Subscriber {
  subscriberId: string;
  msisdn: string;
  provinceCode: string;
  language: Language;
}

type Reply = Record<Language, string>;

/**
 * The service number: reads each inbound text (command or free words), asks the domain services, and answers
 * through the notify service from the service number. It holds no business rule: prices, eligibility,
 * confirmation and consent are the services' own.
 */
export class SmsHall {
  private readonly lanes: NumberLanes;
  private readonly rateLimit: NumberRateLimit;
  private readonly prompts: PromptMemory;
  private readonly model = new IntentModel();
  private readonly tables = new Map<string, CommandTable>();

  constructor(private readonly options: SmsHallOptions) {
    this.lanes = new NumberLanes(options.maxQueuedPerNumber, options.maxConcurrent);
    this.rateLimit = new NumberRateLimit(options.messagesPerMinute, 60_000);
    this.prompts = new PromptMemory(options.promptTtlMs);
  }

  /**
   * Takes a message from a gateway. Resolves at once (the gateway acknowledges it): handling goes on in the
   * number's lane. A message over the number's rate or queue is dropped here, cheaply.
   */
  accept(message: InboundMessage): void {
    const verdict = this.rateLimit.take(message.from);
    if (verdict === "drop" || !this.lanes.submit(message.from, () => this.handle(message, verdict === "warn"))) {
      this.options.logger.warn({ from: message.from }, "MO dropped: the number is sending too fast");
      this.options.onHandled?.(message, "silent");
    }
  }

  drain(): Promise<void> {
    return this.lanes.drain();
  }

  private async handle(message: InboundMessage, overLimit: boolean): Promise<void> {
    const key = messageKey(message);
    // Only a text there is something to say about gets a child logger (most are answered and say nothing).
    const log = () => this.options.logger.child({ mo: key, from: message.from });
    let outcome: "replied" | "silent" | "failed" = "silent";
    try {
      const subscriber = await this.findSubscriber(message.from, key);
      if (!subscriber) {
        // Nobody to answer through notify (it sends to subscribers): strangers get silence, and a log line.
        log().info("MO from a number that is not an active subscriber, ignored");
        return;
      }
      const text = [...message.text].slice(0, MAX_READ_CHARS).join("");
      // A command ("CXYE", "TD") says nothing about language: its answer is in the subscriber's own; free text is
      // answered in the language it is written in.
      const isCommand = parseCommand(text, this.tableFor(subscriber.provinceCode)) !== undefined;
      const language = (isCommand ? undefined : writtenLanguage(text)) ?? subscriber.language;
      const reply = overLimit
        ? REPLIES.tooMany()
        : await this.answer(message, text, subscriber, key).catch((error: unknown) => {
            if (error instanceof ServiceCallError && error.code === 14 /* UNAVAILABLE */) return REPLIES.unavailable();
            throw error;
          });
      if (reply) {
        await this.reply(subscriber, reply[language], language, key);
        outcome = "replied";
      }
    } catch (error) {
      outcome = "failed";
      log().error({ err: error }, "MO not handled");
    } finally {
      this.options.onHandled?.(message, outcome);
    }
  }

  private async findSubscriber(msisdn: string, key: string): Promise<Subscriber | undefined> {
    try {
      const { subscriber } = await this.options.clients.perText.getSubscriber(
        { msisdn },
        // Known only by the number the SMSC authenticated: a party that may look up its own number and no more.
        { requestId: key, party: { kind: "subscriber", subscriberId: "", msisdn } },
      );
      if (!subscriber || subscriber.status === SubscriberStatus.SUBSCRIBER_STATUS_TERMINATED) return undefined;
      return {
        subscriberId: subscriber.subscriberId,
        msisdn: subscriber.msisdn,
        provinceCode: subscriber.provinceCode,
        language: subscriber.languageCode === "en" ? "en" : "zh-CN",
      };
    } catch (error) {
      if (error instanceof ServiceCallError && (error.code === 5 || error.code === 7 || error.code === 3)) {
        return undefined; // NOT_FOUND, PERMISSION_DENIED, INVALID_ARGUMENT: not one of ours
      }
      throw error;
    }
  }

  private tableFor(provinceCode: string): CommandTable {
    let table = this.tables.get(provinceCode);
    if (!table) this.tables.set(provinceCode, (table = commandTableFor(provinceCode)));
    return table;
  }

  /** The reply to one message, or undefined when the services answer by themselves (an order's confirmation). */
  private async answer(
    message: InboundMessage,
    text: string,
    subscriber: Subscriber,
    key: string,
  ): Promise<Reply | undefined> {
    if (message.binary) return REPLIES.binary();
    if (text.trim() === "") return REPLIES.menu();
    const request = interpret(text, this.tableFor(subscriber.provinceCode), this.model);
    const call = { requestId: key, party: partyOf(subscriber) };
    const { clients } = this.options;
    // A campaign's reply keyword ("reply LL8", "reply 1") is what nothing else understood: commands keep their
    // meaning, and a number answers an open numbered list ("0000") first.
    if (
      request.kind === "NOT_UNDERSTOOD" ||
      (request.kind === "MENU_CHOICE" && !this.prompts.recall(subscriber.subscriberId))
    ) {
      const campaignOrder = await this.campaignReply(text, subscriber, key);
      if (campaignOrder !== NO_CAMPAIGN) return campaignOrder;
    }
    switch (request.kind) {
      case "MENU":
        return REPLIES.menu();
      case "NOT_UNDERSTOOD":
        return merge(REPLIES.notUnderstood(), REPLIES.menu());
      case "BALANCE": {
        const balance = await clients.perText.getBalance({ subscriberId: subscriber.subscriberId }, call);
        return REPLIES.balance(balance.balanceFen);
      }
      case "POINTS": {
        const points = await clients.points.getPointsBalance({ subscriberId: subscriber.subscriberId }, call);
        return REPLIES.points(points.points);
      }
      case "DATA_LEFT": {
        const summary = await clients.usage.getUsageSummary(
          { subscriberId: subscriber.subscriberId, asOfTime: undefined },
          call,
        );
        const data = summary.buckets.filter(
          (bucket) => bucket.unit === AllowanceUnit.ALLOWANCE_UNIT_DATA_KB && !bucket.roamingCountryCode,
        );
        if (data.length === 0) return REPLIES.noData();
        const sum = (pick: (b: (typeof data)[number]) => bigint) => data.reduce((total, b) => total + pick(b), 0n);
        return REPLIES.dataLeft(
          sum((b) => b.remaining),
          sum((b) => b.quota),
        );
      }
      case "BILL": {
        const { bills } = await clients.billing.listBills(
          { subscriberId: subscriber.subscriberId, pageSize: 1, pageToken: "" },
          call,
        );
        const bill = bills[0];
        return bill ? REPLIES.bill(bill.billingMonth, bill.totalFen) : REPLIES.noBill();
      }
      case "ORDER":
        return this.order(request, subscriber, key);
      case "UNSUBSCRIBE":
        return this.unsubscribe(request, subscriber, key);
      case "LIST_SUBSCRIPTIONS":
        return this.listSubscriptions(subscriber, key);
      case "MENU_CHOICE":
        return this.choose(request.choice, subscriber, key);
      case "OPT_OUT":
        await clients.notify.optOut(
          {
            requestId: `sms-hall:${key}:opt-out`,
            msisdn: subscriber.msisdn,
            evidence: text.slice(0, 100),
            channel: Channel.CHANNEL_UNSPECIFIED, // the kit fills in the SMS hall's own
          },
          call,
        );
        return REPLIES.optedOut();
      case "CONFIRM":
        return this.confirm(request.code, subscriber, key);
    }
  }

  /**
   * A reply to a marketing SMS: the campaign service says which live campaign's keyword it is (for this subscriber);
   * the reply is counted in that campaign's funnel (once per message: its key is the hall's event id) and orders
   * the campaign's offer through the usual confirmation (orders texts "reply Y"). NO_CAMPAIGN when it is no
   * keyword, or the campaign service cannot be asked now (the text is then read as it would be without campaigns).
   */
  private async campaignReply(
    text: string,
    subscriber: Subscriber,
    key: string,
  ): Promise<Reply | undefined | typeof NO_CAMPAIGN> {
    const keyword = text.normalize("NFKC").replace(/\s+/g, "").toUpperCase();
    if (!REPLY_KEYWORD.test(keyword)) return NO_CAMPAIGN;
    const { campaign } = this.options.clients;
    const call = { requestId: key, party: partyOf(subscriber) };
    let offer;
    try {
      ({ offer } = await campaign.matchReplyKeyword({ keyword }, call));
    } catch (error) {
      this.options.logger.warn({ err: error, mo: key }, "campaign reply keyword not checked");
      return NO_CAMPAIGN;
    }
    if (!offer?.offer) return NO_CAMPAIGN;
    await campaign
      .recordInteractions(
        {
          channel: Channel.CHANNEL_UNSPECIFIED, // the kit fills in the SMS hall's own
          interactions: [
            {
              clientEventId: `sms-reply-${key}`,
              campaignId: offer.campaignId,
              kind: InteractionKind.INTERACTION_KIND_REPLY,
              subscriberId: subscriber.subscriberId,
              occurTime: new Date(),
            },
          ],
        },
        call,
      )
      // The funnel missing one reply must not cost the subscriber their order.
      .catch((error: unknown) => this.options.logger.warn({ err: error, mo: key }, "campaign reply not counted"));
    return this.placeOrder(offer.offer.offeringCode, offer.campaignId, subscriber, key);
  }

  private async order(
    request: Extract<Request, { kind: "ORDER" }>,
    subscriber: Subscriber,
    key: string,
  ): Promise<Reply | undefined> {
    if (!request.productCode) return REPLIES.whichProduct();
    if (!request.offeringCode) return REPLIES.unknownProduct(request.productCode);
    return this.placeOrder(request.offeringCode, "", subscriber, key);
  }

  private async placeOrder(
    offeringCode: string,
    campaignId: string,
    subscriber: Subscriber,
    key: string,
  ): Promise<Reply | undefined> {
    try {
      await this.options.clients.orders.createOrder(
        {
          requestId: `sms-hall:${key}:order`,
          subscriberId: subscriber.subscriberId,
          offeringCode,
          characteristics: {},
          channel: Channel.CHANNEL_UNSPECIFIED, // the kit fills in the SMS hall's own
          agentId: "",
          campaignId,
          number: "",
          installation: undefined,
        },
        { requestId: key, party: partyOf(subscriber) },
      );
      // Orders texts the product, price, validity and "reply Y <code>" itself (orders.confirmation.requested):
      // the confirmation wording is its rule, so the hall adds nothing.
      return undefined;
    } catch (error) {
      if (error instanceof ServiceCallError && error.code !== 14) {
        return REPLIES.orderRefused(error.messages["zh-CN"] ?? error.reason);
      }
      throw error;
    }
  }

  private async productsOf(subscriber: Subscriber, key: string) {
    const { products } = await this.options.clients.orders.listProducts(
      { subscriberId: subscriber.subscriberId, includeEnded: false, pageSize: 50, pageToken: "" },
      { requestId: key, party: partyOf(subscriber) },
    );
    // The plan itself cannot be cancelled by text, and products already ending need no second cancel.
    return products.filter((p) => !p.unsubscribeRequested && !p.snapshot?.offeringCode.startsWith("PLAN_"));
  }

  private async listSubscriptions(subscriber: Subscriber, key: string): Promise<Reply> {
    const products = await this.productsOf(subscriber, key);
    if (products.length === 0) return REPLIES.noSubscriptions();
    const choices = products.slice(0, 9).map((p) => ({
      productId: p.snapshot!.productId,
      name: p.snapshot!.offeringName?.zhCn ?? p.snapshot!.offeringCode,
      en: p.snapshot!.offeringName?.en ?? p.snapshot!.offeringCode,
    }));
    this.prompts.remember(subscriber.subscriberId, { kind: "UNSUBSCRIBE", choices });
    const zh = REPLIES.subscriptions(choices.map((c, i) => `${i + 1}.${c.name}`))["zh-CN"];
    const en = REPLIES.subscriptions(choices.map((c, i) => `${i + 1}. ${c.en}`)).en;
    return { "zh-CN": zh, en };
  }

  private async choose(choice: number, subscriber: Subscriber, key: string): Promise<Reply> {
    const prompt = this.prompts.recall(subscriber.subscriberId);
    const picked = prompt?.choices[choice - 1];
    if (!picked) return REPLIES.choiceUnknown();
    return this.unsubscribeProduct(picked.productId, picked.name, subscriber, key);
  }

  private async unsubscribe(
    request: Extract<Request, { kind: "UNSUBSCRIBE" }>,
    subscriber: Subscriber,
    key: string,
  ): Promise<Reply> {
    if (!request.productCode) return this.listSubscriptions(subscriber, key);
    if (!request.offeringCode) return REPLIES.unknownProduct(request.productCode);
    const product = (await this.productsOf(subscriber, key)).find(
      (p) => p.snapshot?.offeringCode === request.offeringCode,
    );
    if (!product) return REPLIES.notSubscribed(request.productCode);
    return this.unsubscribeProduct(
      product.snapshot!.productId,
      product.snapshot!.offeringName?.zhCn ?? request.productCode,
      subscriber,
      key,
    );
  }

  private async unsubscribeProduct(productId: string, name: string, subscriber: Subscriber, key: string) {
    const { product } = await this.options.clients.orders.unsubscribe(
      { requestId: `sms-hall:${key}:unsubscribe`, subscriberId: subscriber.subscriberId, productId },
      { requestId: key, party: partyOf(subscriber) },
    );
    this.prompts.forget(subscriber.subscriberId);
    return REPLIES.unsubscribed(name, product?.unsubscribeRequested === true);
  }

  /**
   * "Y" alone confirms the one pending order: the reply came from the subscriber's own phone, which orders takes
   * as consent for the order the hall names. With several pending, it lists them and asks for the code, which
   * picks one ("Y <code>": orders matches it among this subscriber's pending orders).
   */
  private async confirm(code: string | undefined, subscriber: Subscriber, key: string): Promise<Reply> {
    const { orders } = this.options.clients;
    const call = { requestId: key, party: partyOf(subscriber) };
    let orderId = "";
    if (!code) {
      const pending = await this.recentOrders(subscriber, key, [OrderState.ORDER_STATE_PENDING]);
      if (pending.length > 1) {
        return REPLIES.confirmNeedsCode(pending.map((o) => `${o.offeringName?.zhCn ?? o.offeringCode}`));
      }
      if (pending.length === 0) {
        return (await this.recentlyExpired(subscriber, key)) ? REPLIES.confirmationExpired() : REPLIES.nothingPending();
      }
      orderId = pending[0]!.orderId;
    }
    try {
      const { order } = await orders.confirmOrder(
        {
          requestId: `sms-hall:${key}:confirm`,
          subscriberId: subscriber.subscriberId,
          orderId,
          confirmationCode: code ?? "",
        },
        call,
      );
      return REPLIES.confirmed(order?.offeringName?.zhCn ?? order?.offeringCode ?? "");
    } catch (error) {
      if (!(error instanceof ServiceCallError)) throw error;
      switch (error.reason) {
        case "CONFIRMATION_EXPIRED":
        case "CONFIRMATION_ATTEMPTS_EXHAUSTED":
          return REPLIES.confirmationExpired();
        case "ORDER_ALREADY_CONFIRMED":
          return REPLIES.alreadyConfirmed();
        case "CONFIRMATION_CODE_WRONG":
          return REPLIES.codeWrong();
        case "ORDER_NOT_FOUND": {
          // The code matches no pending order: already confirmed, expired, or mistyped.
          const confirmed = await this.recentOrders(subscriber, key, [
            OrderState.ORDER_STATE_IN_PROGRESS,
            OrderState.ORDER_STATE_COMPLETED,
            OrderState.ORDER_STATE_HELD,
          ]);
          if (confirmed.length > 0) return REPLIES.alreadyConfirmed();
          if (await this.recentlyExpired(subscriber, key)) return REPLIES.confirmationExpired();
          const pending = await this.recentOrders(subscriber, key, [OrderState.ORDER_STATE_PENDING]);
          return pending.length > 0 ? REPLIES.codeWrong() : REPLIES.nothingPending();
        }
        default:
          throw error;
      }
    }
  }

  /** This subscriber's SMS-hall orders in these states from the last hour. */
  private async recentOrders(subscriber: Subscriber, key: string, states: OrderState[]): Promise<Order[]> {
    const { orders } = await this.options.clients.orders.listOrders(
      {
        subscriberId: subscriber.subscriberId,
        states,
        pageSize: 10,
        pageToken: "",
        channel: Channel.CHANNEL_SMS_HALL,
        campaignId: "",
      },
      { requestId: key, party: partyOf(subscriber) },
    );
    const since = Date.now() - 60 * 60_000;
    return orders.filter((o) => (o.updateTime?.getTime() ?? 0) >= since);
  }

  private async recentlyExpired(subscriber: Subscriber, key: string): Promise<boolean> {
    const cancelled = await this.recentOrders(subscriber, key, [OrderState.ORDER_STATE_CANCELLED]);
    return cancelled.some((o) => o.failureReason === "CONFIRMATION_EXPIRED");
  }

  private async reply(subscriber: Subscriber, text: string, language: Language, key: string): Promise<void> {
    await this.options.clients.perText.sendMessage(
      {
        requestId: `sms-hall:${key}:reply`,
        subscriberId: subscriber.subscriberId,
        kind: MessageKind.MESSAGE_KIND_SERVICE,
        templateCode: REPLY_TEMPLATE,
        variables: { text },
        campaignId: "",
        languageCode: language,
        channel: Channel.CHANNEL_UNSPECIFIED, // the kit fills in the SMS hall's own
      },
      { requestId: key, party: partyOf(subscriber) },
    );
  }
}

function partyOf(subscriber: Subscriber): ActingParty {
  return { kind: "subscriber", subscriberId: subscriber.subscriberId, msisdn: subscriber.msisdn };
}

function merge(first: Reply, second: Reply): Reply {
  return { "zh-CN": first["zh-CN"] + second["zh-CN"], en: `${first.en} ${second.en}` };
}

/**
 * A stable key per inbound message: the gateway's ids of its parts. Every request_id the hall sends derives from
 * it, so a message handled twice (a gateway redelivering) has no second effect.
 */
export function messageKey(message: InboundMessage): string {
  return createHash("sha256")
    .update(`${message.from}\u0000${message.gatewayMessageIds.join(",")}`)
    .digest("base64url")
    .slice(0, 22);
}
