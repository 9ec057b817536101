import Fastify, { type FastifyInstance } from "fastify";
import { AcquirerSimulator } from "./acquirer.js";
import { CallLog, type TradeOperation } from "./call-log.js";
import { SIMULATOR_KEYS } from "./development-keys.js";
import { deliver, type Delivery, type NotificationFormat } from "./notifier.js";
import { alipay, unionpay, wechat, type GatewayKeys } from "./protocols.js";
import { GATEWAYS, TradeBook, type GatewayName, type NotifyBehaviour, type StatementEdit } from "./trades.js";

export interface SimulatorOptions {
  host?: string;
  port?: number;
  keys?: Partial<GatewayKeys>;
  acquirerMacKey?: string;
  /** How every gateway notifies unless a trade is told otherwise (default: at once, once). */
  behaviour?: NotifyBehaviour;
}

export interface GatewaySimulator {
  url: string;
  port: number;
  acquirer: AcquirerSimulator;
  /** How this gateway will notify about this trade (or about every trade, with "*"), from now on. */
  behave(gateway: GatewayName, outTradeNo: string | "*", behaviour: NotifyBehaviour): void;
  /** What the pay page's button does: marks the trade paid and notifies as told; resolves with the answers. */
  pay(gateway: GatewayName, outTradeNo: string, behaviour?: NotifyBehaviour): Promise<Delivery[]>;
  /** Sends a notification about a trade as told (e.g. again, forged), without changing the trade. */
  notify(gateway: GatewayName, outTradeNo: string, behaviour?: NotifyBehaviour): Promise<Delivery[]>;
  /** Plants a difference in a day's statement file. */
  editStatement(gateway: GatewayName, businessDate: string, edit: StatementEdit): void;
  book: TradeBook;
  /** How many times the merchant called each gateway about each trade (also `GET /<gateway>/calls`). */
  calls: CallLog;
  /** Makes a gateway answer one kind of call with HTTP 503 (`down` true) or normally again (false). */
  outage(gateway: GatewayName, operation: TradeOperation, down: boolean): void;
  stop(): Promise<void>;
}

const cstDate = (date: Date) => new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The payment gateway simulator: Alipay-, WeChat-Pay- and UnionPay-style gateways and a card acquirer on one HTTP
 * server, each with its own keys, behaving like the real ones — pay pages a browser can click, signed
 * asynchronous notifications (and, on request, late, repeated, out-of-order, forged or wrong-amount ones), trade
 * queries, closing, refunds and a daily statement file per gateway.
 */
export async function startGatewaySimulator(options: SimulatorOptions = {}): Promise<GatewaySimulator> {
  const keys: GatewayKeys = {
    alipayGatewayPrivateKey: SIMULATOR_KEYS.ALIPAY_GATEWAY_PRIVATE_KEY,
    alipayMerchantPublicKey: SIMULATOR_KEYS.ALIPAY_MERCHANT_PUBLIC_KEY,
    unionpayGatewayPrivateKey: SIMULATOR_KEYS.UNIONPAY_GATEWAY_PRIVATE_KEY,
    unionpayMerchantPublicKey: SIMULATOR_KEYS.UNIONPAY_MERCHANT_PUBLIC_KEY,
    wechatApiKey: SIMULATOR_KEYS.WECHAT_PAY_API_KEY,
    ...options.keys,
  };
  const book = new TradeBook();
  const calls = new CallLog();
  const outages = new Set<string>();
  const behaviours = new Map<string, NotifyBehaviour>();
  // A simulator held a card answer back on purpose: stopping must not wait for such connections.
  const server: FastifyInstance = Fastify({ logger: false, forceCloseConnections: true });
  server.addContentTypeParser(
    ["application/x-www-form-urlencoded", "text/xml", "application/xml"],
    { parseAs: "string" },
    (_request, body, done) => done(null, body),
  );
  let baseUrl = "";
  const ctx = {
    book,
    keys,
    baseUrl: () => baseUrl,
    called(gateway: GatewayName, operation: TradeOperation, outTradeNo: string) {
      calls.record(gateway, operation, outTradeNo);
      return !outages.has(`${gateway}:${operation}`);
    },
  };
  const formats: Record<GatewayName, NotificationFormat> = {
    alipay: alipay(server, ctx),
    wechat: wechat(server, ctx),
    unionpay: unionpay(server, ctx),
  };
  const acquirer = new AcquirerSimulator(options.acquirerMacKey ?? SIMULATOR_KEYS.ACQUIRER_MAC_KEY);
  acquirer.register(server);
  const inFlight = new Set<Promise<unknown>>();

  const behaviourOf = (gateway: GatewayName, outTradeNo: string): NotifyBehaviour =>
    behaviours.get(`${gateway}:${outTradeNo}`) ?? behaviours.get(`${gateway}:*`) ?? options.behaviour ?? {};

  async function pay(gateway: GatewayName, outTradeNo: string, behaviour?: NotifyBehaviour) {
    const trade = book.get(gateway, outTradeNo);
    if (!trade) throw new Error(`no ${gateway} trade ${outTradeNo}`);
    if (trade.status === "WAITING") {
      trade.status = "PAID";
      trade.paidAt = new Date();
    }
    if (trade.status !== "PAID") return [];
    return notify(gateway, outTradeNo, behaviour);
  }
  function notify(gateway: GatewayName, outTradeNo: string, behaviour?: NotifyBehaviour) {
    const trade = book.get(gateway, outTradeNo);
    if (!trade) throw new Error(`no ${gateway} trade ${outTradeNo}`);
    const delivery = deliver(formats[gateway], trade, behaviour ?? behaviourOf(gateway, outTradeNo));
    inFlight.add(delivery);
    void delivery.finally(() => inFlight.delete(delivery));
    return delivery;
  }

  server.get<{ Params: { gateway: string; trade: string } }>("/pay/:gateway/:trade", async (request, reply) => {
    const gateway = request.params.gateway as GatewayName;
    const trade = GATEWAYS.includes(gateway) ? book.get(gateway, request.params.trade) : undefined;
    if (!trade) return reply.code(404).type("text/html").send("<!doctype html><title>Not found</title><p>交易不存在");
    const amount = `¥${trade.amountFen / 100n}.${String(trade.amountFen % 100n).padStart(2, "0")}`;
    const state = { WAITING: "待支付 Waiting", PAID: "已支付 Paid", CLOSED: "已关闭 Closed" }[trade.status];
    return reply.type("text/html").send(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${gateway} · ${escape(trade.outTradeNo)}</title></head>
<body><main><h1>${gateway} 收银台 (simulator)</h1>
<p>${escape(trade.subject)} · <strong>${amount}</strong> · ${state}</p>
${trade.status === "WAITING" ? `<form method="post"><button type="submit">确认支付 Pay ${amount}</button></form>` : ""}
${trade.returnUrl ? `<p><a href="${escape(trade.returnUrl)}">返回商户 Back to the merchant</a></p>` : ""}
</main></body></html>`);
  });
  server.post<{ Params: { gateway: string; trade: string } }>("/pay/:gateway/:trade", async (request, reply) => {
    const gateway = request.params.gateway as GatewayName;
    if (!GATEWAYS.includes(gateway) || !book.get(gateway, request.params.trade)) return reply.code(404).send();
    // The page answers at once; the notification follows asynchronously, as with a real gateway.
    void pay(gateway, request.params.trade).catch(() => undefined);
    return reply.redirect(`/pay/${gateway}/${encodeURIComponent(request.params.trade)}`, 303);
  });

  server.get<{ Params: { gateway: string }; Querystring: { date?: string } }>(
    "/:gateway/statement",
    async (request, reply) => {
      const gateway = request.params.gateway as GatewayName;
      const date = request.query.date ?? "";
      if (!GATEWAYS.includes(gateway) || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return reply.code(400).send("bad request");
      const lines = new Map<
        string,
        { kind: string; reference: string; providerReference: string; amountFen: bigint }
      >();
      for (const trade of book.all(gateway)) {
        if (trade.paidAt && cstDate(trade.paidAt) === date) {
          lines.set(trade.outTradeNo, {
            kind: "PAYMENT",
            reference: trade.outTradeNo,
            providerReference: trade.tradeNo,
            amountFen: trade.amountFen,
          });
        }
        for (const r of trade.refunds) {
          if (cstDate(r.at) === date) {
            lines.set(r.outRefundNo, {
              kind: "REFUND",
              reference: r.outRefundNo,
              providerReference: r.refundNo,
              amountFen: r.amountFen,
            });
          }
        }
      }
      for (const edit of book.edits.get(`${gateway}:${date}`) ?? []) {
        if (edit.remove) lines.delete(edit.reference);
        else {
          const known = lines.get(edit.reference);
          lines.set(edit.reference, {
            kind: edit.kind,
            reference: edit.reference,
            providerReference: edit.providerReference ?? known?.providerReference ?? "",
            amountFen: edit.amountFen ?? known?.amountFen ?? 0n,
          });
        }
      }
      const csv = ["kind,reference,provider_reference,amount_fen"];
      for (const l of lines.values()) csv.push(`${l.kind},${l.reference},${l.providerReference},${l.amountFen}`);
      return reply.type("text/csv").send(`${csv.join("\n")}\n`);
    },
  );

  server.get<{ Params: { gateway: string } }>("/:gateway/calls", async (request, reply) => {
    const gateway = request.params.gateway as GatewayName;
    if (!GATEWAYS.includes(gateway)) return reply.code(404).send("no such gateway");
    return reply.send(calls.all(gateway));
  });

  server.get("/", async (_request, reply) =>
    reply.type("text/html")
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Payment gateway simulator</title></head>
<body><h1>Payment gateway simulator</h1><ul>${GATEWAYS.flatMap((g) =>
      book
        .all(g)
        .map(
          (t) => `<li><a href="/pay/${g}/${escape(t.outTradeNo)}">${g} ${escape(t.outTradeNo)}</a> ${t.status}</li>`,
        ),
    ).join("")}</ul></body></html>`),
  );

  await server.listen({ host: options.host ?? "127.0.0.1", port: options.port ?? 8095 });
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : (options.port ?? 8095);
  baseUrl = `http://${options.host ?? "127.0.0.1"}:${port}`;

  return {
    url: baseUrl,
    port,
    acquirer,
    book,
    calls,
    outage(gateway, operation, down) {
      if (down) outages.add(`${gateway}:${operation}`);
      else outages.delete(`${gateway}:${operation}`);
    },
    behave(gateway, outTradeNo, behaviour) {
      behaviours.set(`${gateway}:${outTradeNo}`, behaviour);
    },
    pay,
    notify,
    editStatement(gateway, businessDate, edit) {
      const key = `${gateway}:${businessDate}`;
      book.edits.set(key, [...(book.edits.get(key) ?? []), edit]);
    },
    async stop() {
      acquirer.release();
      await Promise.allSettled([...inFlight]);
      await server.close();
    },
  };
}
