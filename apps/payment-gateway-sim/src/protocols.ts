import type { FastifyInstance, FastifyReply } from "fastify";
import type { TradeOperation } from "./call-log.js";
import type { NotificationFormat } from "./notifier.js";
import {
  beijing,
  canonical,
  equalText,
  fenFromYuan,
  fromXml,
  hmacSha256,
  rsa2Sign,
  rsa2Verify,
  sha256Hex,
  toXml,
  yuan,
} from "./signing.js";
import type { GatewayName, Trade, TradeBook } from "./trades.js";

export interface GatewayKeys {
  alipayGatewayPrivateKey: string;
  alipayMerchantPublicKey: string;
  unionpayGatewayPrivateKey: string;
  unionpayMerchantPublicKey: string;
  wechatApiKey: string;
}

/** What every protocol needs from the simulator. */
export interface ProtocolContext {
  book: TradeBook;
  /**
   * Counts a signed call about a trade; false when the gateway is told to be down for that operation, and the
   * handler then answers HTTP 503 (the merchant cannot know whether anything happened).
   */
  called: (gateway: GatewayName, operation: TradeOperation, outTradeNo: string) => boolean;
  keys: GatewayKeys;
  /** The simulator's own base URL (pay pages live there). */
  baseUrl: () => string;
}

const unavailable = (reply: FastifyReply) => reply.code(503).type("text/plain").send("service unavailable");
const refundNo = () => `R${Date.now()}${Math.floor(Math.random() * 1e6)}`;
const refunded = (trade: Trade) => trade.refunds.reduce((sum, r) => sum + r.amountFen, 0n);

/** Applies a refund once per merchant refund number; never more than was paid. */
function refund(trade: Trade | undefined, outRefundNo: string, amountFen: bigint | undefined): string {
  if (!trade || trade.status !== "PAID") return "TRADE_NOT_PAID";
  if (trade.refunds.some((r) => r.outRefundNo === outRefundNo)) return "OK";
  if (amountFen === undefined || amountFen <= 0n || refunded(trade) + amountFen > trade.amountFen) {
    return "REFUND_AMOUNT_INVALID";
  }
  trade.refunds.push({ outRefundNo, refundNo: refundNo(), amountFen, at: new Date() });
  return "OK";
}
const refundOf = (trade: Trade | undefined, outRefundNo: string) =>
  trade?.refunds.find((r) => r.outRefundNo === outRefundNo);

const ALIPAY_OPERATIONS: Record<string, TradeOperation | undefined> = {
  "alipay.trade.precreate": "create",
  "alipay.trade.query": "query",
  "alipay.trade.close": "close",
  "alipay.trade.refund": "refund",
};

/** Alipay-style: form calls to /alipay/gateway.do signed RSA2, JSON answers signed over the response object. */
export function alipay(server: FastifyInstance, ctx: ProtocolContext): NotificationFormat {
  const gateway: GatewayName = "alipay";
  const answer = (reply: FastifyReply, method: string, body: Record<string, string>) => {
    const json = JSON.stringify(body);
    const sign = rsa2Sign(json, ctx.keys.alipayGatewayPrivateKey);
    return reply
      .header("content-type", "application/json;charset=utf-8")
      .send(`{"${method.replaceAll(".", "_")}_response":${json},"sign":"${sign}"}`);
  };
  server.post("/alipay/gateway.do", async (request, reply) => {
    const params = Object.fromEntries(new URLSearchParams(String(request.body)));
    const method = params.method ?? "unknown";
    if (!rsa2Verify(canonical(params, ["sign"]), params.sign, ctx.keys.alipayMerchantPublicKey)) {
      return answer(reply, method, { code: "40002", msg: "Invalid Arguments", sub_code: "isv.invalid-signature" });
    }
    const biz = JSON.parse(params.biz_content ?? "{}") as Record<string, string>;
    const operation = ALIPAY_OPERATIONS[method];
    if (operation && !ctx.called(gateway, operation, biz.out_trade_no ?? "")) return unavailable(reply);
    const trade = ctx.book.get(gateway, biz.out_trade_no ?? "");
    switch (method) {
      case "alipay.trade.precreate": {
        const amountFen = fenFromYuan(biz.total_amount);
        if (!biz.out_trade_no || amountFen === undefined || !params.notify_url) {
          return answer(reply, method, { code: "40002", msg: "Invalid Arguments", sub_code: "isv.missing-parameter" });
        }
        const opened = ctx.book.open({
          gateway,
          outTradeNo: biz.out_trade_no,
          amountFen,
          subject: biz.subject ?? "",
          notifyUrl: params.notify_url,
          returnUrl: params.return_url ?? "",
        });
        if (opened === "AMOUNT_CONFLICT") {
          return answer(reply, method, { code: "40004", msg: "Business Failed", sub_code: "ACQ.CONTEXT_INCONSISTENT" });
        }
        const url = `${ctx.baseUrl()}/pay/alipay/${opened.outTradeNo}`;
        return answer(reply, method, { code: "10000", msg: "Success", out_trade_no: opened.outTradeNo, qr_code: url });
      }
      case "alipay.trade.query":
        if (!trade)
          return answer(reply, method, { code: "40004", msg: "Business Failed", sub_code: "ACQ.TRADE_NOT_EXIST" });
        return answer(reply, method, {
          code: "10000",
          msg: "Success",
          out_trade_no: trade.outTradeNo,
          trade_no: trade.tradeNo,
          total_amount: yuan(trade.amountFen),
          trade_status: { WAITING: "WAIT_BUYER_PAY", PAID: "TRADE_SUCCESS", CLOSED: "TRADE_CLOSED" }[trade.status],
        });
      case "alipay.trade.close":
        if (!trade)
          return answer(reply, method, { code: "40004", msg: "Business Failed", sub_code: "ACQ.TRADE_NOT_EXIST" });
        if (trade.status === "PAID") {
          return answer(reply, method, { code: "40004", msg: "Business Failed", sub_code: "ACQ.TRADE_STATUS_ERROR" });
        }
        trade.status = "CLOSED";
        return answer(reply, method, { code: "10000", msg: "Success", out_trade_no: trade.outTradeNo });
      case "alipay.trade.refund": {
        const result = refund(trade, biz.out_request_no ?? "", fenFromYuan(biz.refund_amount));
        if (result !== "OK") return answer(reply, method, { code: "40004", msg: "Business Failed", sub_code: result });
        return answer(reply, method, {
          code: "10000",
          msg: "Success",
          trade_no: refundOf(trade, biz.out_request_no ?? "")!.refundNo,
          refund_fee: biz.refund_amount ?? "",
        });
      }
      default:
        return answer(reply, method, { code: "40004", msg: "Business Failed", sub_code: "isv.invalid-method" });
    }
  });
  return {
    body(trade, paid, amountFen, forge) {
      const params: Record<string, string> = {
        notify_id: `n${Date.now()}`,
        notify_time: beijing(new Date()),
        notify_type: "trade_status_sync",
        app_id: "2021000000000001",
        trade_no: trade.tradeNo,
        out_trade_no: trade.outTradeNo,
        total_amount: yuan(amountFen),
        trade_status: paid ? "TRADE_SUCCESS" : "WAIT_BUYER_PAY",
        gmt_payment: beijing(trade.paidAt ?? new Date()),
        charset: "utf-8",
        sign_type: "RSA2",
      };
      const signed = canonical(params, ["sign", "sign_type"]);
      params.sign = rsa2Sign(forge ? `${signed}&forged=1` : signed, ctx.keys.alipayGatewayPrivateKey);
      return { contentType: "application/x-www-form-urlencoded", body: new URLSearchParams(params).toString() };
    },
    acknowledged: (status, text) => status === 200 && text.trim() === "success",
  };
}

/** WeChat-Pay-style (v2): flat XML both ways, HMAC-SHA256 with the merchant's API key. */
export function wechat(server: FastifyInstance, ctx: ProtocolContext): NotificationFormat {
  const gateway: GatewayName = "wechat";
  const sign = (params: Record<string, string>) => ({
    ...params,
    sign: hmacSha256(canonical(params, ["sign"]), ctx.keys.wechatApiKey),
  });
  const reply = (r: FastifyReply, params: Record<string, string>) =>
    r.header("content-type", "text/xml").send(toXml(sign({ return_code: "SUCCESS", return_msg: "OK", ...params })));
  const fail = (r: FastifyReply, err: string) => reply(r, { result_code: "FAIL", err_code: err, err_code_des: err });
  const checked = (body: unknown) => {
    const params = fromXml(String(body));
    return equalText(params.sign, hmacSha256(canonical(params, ["sign"]), ctx.keys.wechatApiKey)) ? params : undefined;
  };
  server.post("/wechat/pay/unifiedorder", async (request, r) => {
    const p = checked(request.body);
    if (!p) return r.header("content-type", "text/xml").send(toXml({ return_code: "FAIL", return_msg: "SIGNERROR" }));
    const amountFen = /^\d+$/.test(p.total_fee ?? "") ? BigInt(p.total_fee!) : undefined;
    if (!ctx.called(gateway, "create", p.out_trade_no ?? "")) return unavailable(r);
    if (!p.out_trade_no || amountFen === undefined || !p.notify_url) return fail(r, "PARAM_ERROR");
    const opened = ctx.book.open({
      gateway,
      outTradeNo: p.out_trade_no,
      amountFen,
      subject: p.body ?? "",
      notifyUrl: p.notify_url,
      returnUrl: "",
    });
    if (opened === "AMOUNT_CONFLICT") return fail(r, "INVALID_REQUEST");
    return reply(r, {
      result_code: "SUCCESS",
      prepay_id: `wx${opened.tradeNo}`,
      code_url: `weixin://wxpay/bizpayurl?pr=${opened.outTradeNo}`,
      mweb_url: `${ctx.baseUrl()}/pay/wechat/${opened.outTradeNo}`,
    });
  });
  server.post("/wechat/pay/orderquery", async (request, r) => {
    const p = checked(request.body);
    if (!p) return r.header("content-type", "text/xml").send(toXml({ return_code: "FAIL", return_msg: "SIGNERROR" }));
    if (!ctx.called(gateway, "query", p.out_trade_no ?? "")) return unavailable(r);
    const trade = ctx.book.get(gateway, p.out_trade_no ?? "");
    if (!trade) return fail(r, "ORDERNOTEXIST");
    return reply(r, {
      result_code: "SUCCESS",
      out_trade_no: trade.outTradeNo,
      transaction_id: trade.tradeNo,
      total_fee: String(trade.amountFen),
      trade_state: { WAITING: "NOTPAY", PAID: "SUCCESS", CLOSED: "CLOSED" }[trade.status],
    });
  });
  server.post("/wechat/pay/closeorder", async (request, r) => {
    const p = checked(request.body);
    if (!p) return r.header("content-type", "text/xml").send(toXml({ return_code: "FAIL", return_msg: "SIGNERROR" }));
    if (!ctx.called(gateway, "close", p.out_trade_no ?? "")) return unavailable(r);
    const trade = ctx.book.get(gateway, p.out_trade_no ?? "");
    if (!trade) return fail(r, "ORDERNOTEXIST");
    if (trade.status === "PAID") return fail(r, "ORDERPAID");
    trade.status = "CLOSED";
    return reply(r, { result_code: "SUCCESS" });
  });
  server.post("/wechat/secapi/pay/refund", async (request, r) => {
    const p = checked(request.body);
    if (!p) return r.header("content-type", "text/xml").send(toXml({ return_code: "FAIL", return_msg: "SIGNERROR" }));
    if (!ctx.called(gateway, "refund", p.out_trade_no ?? "")) return unavailable(r);
    const trade = ctx.book.get(gateway, p.out_trade_no ?? "");
    const amount = /^\d+$/.test(p.refund_fee ?? "") ? BigInt(p.refund_fee!) : undefined;
    const result = refund(trade, p.out_refund_no ?? "", amount);
    if (result !== "OK") return fail(r, result);
    return reply(r, { result_code: "SUCCESS", refund_id: refundOf(trade, p.out_refund_no ?? "")!.refundNo });
  });
  return {
    body(trade, paid, amountFen, forge) {
      const params = sign({
        appid: "wx0000000000000001",
        mch_id: "1900000001",
        nonce_str: `${Date.now()}`,
        return_code: "SUCCESS",
        result_code: paid ? "SUCCESS" : "FAIL",
        out_trade_no: trade.outTradeNo,
        transaction_id: trade.tradeNo,
        total_fee: String(amountFen),
        time_end: beijing(trade.paidAt ?? new Date()).replace(/\D/g, ""),
      });
      if (forge) params.sign = hmacSha256(canonical(params, ["sign"]), "a-key-that-is-not-the-merchants");
      return { contentType: "text/xml", body: toXml(params) };
    },
    acknowledged: (status, text) => status === 200 && fromXml(text).return_code === "SUCCESS",
  };
}

/** UnionPay-style (5.1.0): form both ways, SHA256withRSA over the SHA-256 hex digest; backUrl gets notifications. */
export function unionpay(server: FastifyInstance, ctx: ProtocolContext): NotificationFormat {
  const gateway: GatewayName = "unionpay";
  const signed = (params: Record<string, string>): Record<string, string> => ({
    ...params,
    signature: rsa2Sign(sha256Hex(canonical(params, ["signature"])), ctx.keys.unionpayGatewayPrivateKey),
  });
  const send = (r: FastifyReply, params: Record<string, string>) =>
    r
      .header("content-type", "application/x-www-form-urlencoded")
      .send(new URLSearchParams(signed({ version: "5.1.0", ...params })).toString());
  const verified = (body: unknown) => {
    const p = Object.fromEntries(new URLSearchParams(String(body)));
    return rsa2Verify(sha256Hex(canonical(p, ["signature"])), p.signature, ctx.keys.unionpayMerchantPublicKey)
      ? p
      : undefined;
  };
  server.post("/unionpay/gateway/api/frontTransReq.do", async (request, r) => {
    const p = verified(request.body);
    if (!p) return send(r, { respCode: "11", respMsg: "signature invalid" });
    if (!ctx.called(gateway, "create", p.orderId ?? "")) return unavailable(r);
    const amountFen = /^\d+$/.test(p.txnAmt ?? "") ? BigInt(p.txnAmt!) : undefined;
    if (!p.orderId || amountFen === undefined || !p.backUrl)
      return send(r, { respCode: "30", respMsg: "format error" });
    const opened = ctx.book.open({
      gateway,
      outTradeNo: p.orderId,
      amountFen,
      subject: "",
      notifyUrl: p.backUrl,
      returnUrl: p.frontUrl ?? "",
    });
    if (opened === "AMOUNT_CONFLICT") return send(r, { respCode: "12", respMsg: "duplicate order" });
    const url = `${ctx.baseUrl()}/pay/unionpay/${opened.outTradeNo}`;
    return send(r, { respCode: "00", orderId: opened.outTradeNo, payUrl: url, qrCode: url });
  });
  server.post("/unionpay/gateway/api/queryTrans.do", async (request, r) => {
    const p = verified(request.body);
    if (!p) return send(r, { respCode: "11", respMsg: "signature invalid" });
    if (!ctx.called(gateway, "query", p.orderId ?? "")) return unavailable(r);
    const trade = ctx.book.get(gateway, p.orderId ?? "");
    if (!trade) return send(r, { respCode: "34", respMsg: "no such transaction" });
    return send(r, {
      respCode: "00",
      orderId: trade.outTradeNo,
      queryId: trade.tradeNo,
      txnAmt: String(trade.amountFen),
      origRespCode: { WAITING: "05", PAID: "00", CLOSED: "CL" }[trade.status],
    });
  });
  server.post("/unionpay/gateway/api/backTransReq.do", async (request, r) => {
    const p = verified(request.body);
    if (!p) return send(r, { respCode: "11", respMsg: "signature invalid" });
    if (p.txnType === "31") {
      if (!ctx.called(gateway, "close", p.orderId ?? "")) return unavailable(r);
      const trade = ctx.book.get(gateway, p.orderId ?? "");
      if (!trade) return send(r, { respCode: "34", respMsg: "no such transaction" });
      if (trade.status === "PAID") return send(r, { respCode: "12", respMsg: "already paid" });
      trade.status = "CLOSED";
      return send(r, { respCode: "00", orderId: trade.outTradeNo });
    }
    if (p.txnType === "04") {
      // A refund is counted against the trade it refunds (orderId is the refund's own number).
      if (!ctx.called(gateway, "refund", p.origOrderId ?? "")) return unavailable(r);
      const trade = ctx.book.get(gateway, p.origOrderId ?? "");
      const amount = /^\d+$/.test(p.txnAmt ?? "") ? BigInt(p.txnAmt!) : undefined;
      const result = refund(trade, p.orderId ?? "", amount);
      if (result !== "OK") return send(r, { respCode: "12", respMsg: result });
      return send(r, { respCode: "00", orderId: p.orderId ?? "", queryId: refundOf(trade, p.orderId ?? "")!.refundNo });
    }
    return send(r, { respCode: "30", respMsg: "unknown txnType" });
  });
  return {
    body(trade, paid, amountFen, forge) {
      const params = signed({
        version: "5.1.0",
        encoding: "UTF-8",
        signMethod: "01",
        merId: "777290058110048",
        orderId: trade.outTradeNo,
        queryId: trade.tradeNo,
        txnAmt: String(amountFen),
        respCode: paid ? "00" : "05",
        respMsg: paid ? "success" : "waiting",
        traceTime: beijing(trade.paidAt ?? new Date())
          .replace(/\D/g, "")
          .slice(4),
      });
      if (forge) params.txnAmt = String(amountFen + 1n); // tampered after signing
      return { contentType: "application/x-www-form-urlencoded", body: new URLSearchParams(params).toString() };
    },
    acknowledged: (status) => status === 200,
  };
}
