import { randomBytes } from "node:crypto";
import {
  GatewayRefused,
  GatewayUnavailable,
  NotificationRejected,
  getText,
  parseStatement,
  post,
  type OnlineGateway,
} from "./online-gateway.js";
import { canonicalString, fenOf, fromFlatXml, hmacSign, sameSignature, toFlatXml } from "./signing.js";

export interface WechatPayOptions {
  /** The gateway's base URL, e.g. http://127.0.0.1:8090/wechat. */
  url: string;
  appId: string;
  merchantId: string;
  apiKey: string;
  timeoutMs: number;
}

const XML = "text/xml;charset=utf-8";
const compact = (date: Date) => new Date(date.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, "").slice(0, 14);

/**
 * The WeChat-Pay-style (API v2) protocol: flat XML both ways, every message signed HMAC-SHA256 with the merchant's
 * API key over the sorted parameters plus `&key=…`; a notification is acknowledged with a SUCCESS XML document.
 */
export function wechatPayGateway(options: WechatPayOptions): OnlineGateway {
  const signed = (params: Record<string, string>) => {
    const all = { ...params, appid: options.appId, mch_id: options.merchantId, sign_type: "HMAC-SHA256" };
    return { ...all, nonce_str: randomBytes(12).toString("hex") };
  };
  const withSign = (params: Record<string, string>) => ({
    ...params,
    sign: hmacSign(canonicalString(params, ["sign"]), options.apiKey),
  });
  const verified = (xml: string) => {
    const params = fromFlatXml(xml);
    if (!params) throw new GatewayUnavailable("malformed XML answer");
    if (params.return_code !== "SUCCESS") return params; // protocol errors are unsigned
    const expected = hmacSign(canonicalString(params, ["sign"]), options.apiKey);
    if (!params.sign || !sameSignature(params.sign, expected)) throw new GatewayUnavailable("unsigned answer");
    return params;
  };
  async function call(path: string, params: Record<string, string>) {
    const body = toFlatXml(withSign(signed(params)));
    return verified(await post(`${options.url}${path}`, body, XML, options.timeoutMs));
  }

  return {
    name: "WECHAT_PAY",
    async create(trade) {
      const answer = await call("/pay/unifiedorder", {
        body: trade.subject,
        out_trade_no: trade.paymentId,
        total_fee: String(trade.amountFen),
        notify_url: trade.notifyUrl,
        trade_type: "NATIVE",
        time_expire: compact(trade.expiresAt),
      });
      if (answer.result_code !== "SUCCESS" || !answer.code_url) {
        throw new GatewayUnavailable(`unifiedorder: ${answer.err_code ?? answer.return_msg}`);
      }
      return { payUrl: answer.mweb_url ?? answer.code_url, qrPayload: answer.code_url };
    },
    async query(paymentId) {
      const answer = await call("/pay/orderquery", { out_trade_no: paymentId });
      if (answer.err_code === "ORDERNOTEXIST") return { state: "NOT_FOUND" };
      if (answer.result_code !== "SUCCESS") throw new GatewayUnavailable(`orderquery: ${answer.err_code}`);
      const state = answer.trade_state === "SUCCESS" ? "PAID" : answer.trade_state === "CLOSED" ? "CLOSED" : "WAITING";
      return { state, amountFen: fenOf(answer.total_fee), tradeNo: answer.transaction_id };
    },
    async close(paymentId) {
      const answer = await call("/pay/closeorder", { out_trade_no: paymentId });
      if (answer.result_code !== "SUCCESS" && answer.err_code !== "ORDERNOTEXIST") {
        throw new GatewayRefused(answer.err_code ?? "CLOSE");
      }
    },
    async refund(refund) {
      const answer = await call("/secapi/pay/refund", {
        out_trade_no: refund.paymentId,
        out_refund_no: refund.refundId,
        total_fee: String(refund.totalFen),
        refund_fee: String(refund.amountFen),
      });
      if (answer.result_code !== "SUCCESS") throw new GatewayRefused(answer.err_code ?? "REFUND");
      return answer.refund_id ?? "";
    },
    readNotification(body) {
      const params = fromFlatXml(body);
      if (!params) throw new NotificationRejected("malformed");
      const expected = hmacSign(canonicalString(params, ["sign"]), options.apiKey);
      if (!params.sign || !sameSignature(params.sign, expected)) throw new NotificationRejected("bad signature");
      if (params.mch_id !== options.merchantId) throw new NotificationRejected("another merchant's notification");
      const amountFen = fenOf(params.total_fee);
      if (!params.out_trade_no || amountFen === undefined) throw new NotificationRejected("malformed");
      return {
        paymentId: params.out_trade_no,
        amountFen,
        tradeNo: params.transaction_id ?? "",
        paid: params.return_code === "SUCCESS" && params.result_code === "SUCCESS",
        status: params.result_code ?? "",
      };
    },
    answer(outcome) {
      const body =
        outcome === "accepted"
          ? toFlatXml({ return_code: "SUCCESS", return_msg: "OK" })
          : toFlatXml({ return_code: "FAIL", return_msg: "RETRY" });
      return { status: 200, contentType: "text/xml", body };
    },
    async statement(businessDate) {
      return parseStatement(await getText(`${options.url}/statement?date=${businessDate}`, options.timeoutMs));
    },
  };
}
