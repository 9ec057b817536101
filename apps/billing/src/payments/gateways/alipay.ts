import {
  GatewayRefused,
  GatewayUnavailable,
  NotificationRejected,
  getText,
  parseStatement,
  post,
  type OnlineGateway,
} from "./online-gateway.js";
import { canonicalString, fenToYuan, rsaSign, rsaVerify, yuanToFen } from "./signing.js";

export interface AlipayOptions {
  /** The gateway's base URL, e.g. http://127.0.0.1:8090/alipay. */
  url: string;
  appId: string;
  merchantPrivateKey: string;
  gatewayPublicKey: string;
  timeoutMs: number;
}

const FORM = "application/x-www-form-urlencoded;charset=utf-8";
const timestamp = (date = new Date()) =>
  new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace("T", " ");

/**
 * The Alipay-style open API: form-encoded calls to `gateway.do` signed RSA2 over the sorted parameters, JSON
 * answers whose `<method>_response` object is signed by the gateway, form-encoded notifications signed the same
 * way (sign and sign_type excluded) and acknowledged with the plain text "success".
 */
export function alipayGateway(options: AlipayOptions): OnlineGateway {
  async function call(method: string, biz: Record<string, string>, extra: Record<string, string> = {}) {
    const params: Record<string, string> = {
      app_id: options.appId,
      method,
      charset: "utf-8",
      sign_type: "RSA2",
      timestamp: timestamp(),
      version: "1.0",
      biz_content: JSON.stringify(biz),
      ...extra,
    };
    params.sign = rsaSign(canonicalString(params, ["sign"]), options.merchantPrivateKey);
    const text = await post(
      `${options.url}/gateway.do`,
      new URLSearchParams(params).toString(),
      FORM,
      options.timeoutMs,
    );
    const key = `${method.replaceAll(".", "_")}_response`;
    // The signature covers the response object exactly as it appears in the text.
    const match = new RegExp(`"${key}"\\s*:\\s*(\\{[^{}]*\\})`).exec(text);
    const signature = /"sign"\s*:\s*"([^"]+)"/.exec(text)?.[1];
    if (!match || !signature || !rsaVerify(match[1]!, signature, options.gatewayPublicKey)) {
      throw new GatewayUnavailable(`${method}: unsigned or malformed answer`);
    }
    return JSON.parse(match[1]!) as Record<string, string>;
  }

  return {
    name: "ALIPAY",
    async create(trade) {
      const answer = await call(
        "alipay.trade.precreate",
        {
          out_trade_no: trade.paymentId,
          total_amount: fenToYuan(trade.amountFen),
          subject: trade.subject,
          time_expire: timestamp(trade.expiresAt),
        },
        { notify_url: trade.notifyUrl, return_url: trade.returnUrl },
      );
      if (answer.code !== "10000" || !answer.qr_code) throw new GatewayUnavailable(`precreate: ${answer.sub_code}`);
      return { payUrl: answer.qr_code, qrPayload: answer.qr_code };
    },
    async query(paymentId) {
      const answer = await call("alipay.trade.query", { out_trade_no: paymentId });
      if (answer.code === "40004") return { state: "NOT_FOUND" };
      if (answer.code !== "10000") throw new GatewayUnavailable(`query: ${answer.sub_code}`);
      const state =
        answer.trade_status === "TRADE_SUCCESS" || answer.trade_status === "TRADE_FINISHED"
          ? "PAID"
          : answer.trade_status === "TRADE_CLOSED"
            ? "CLOSED"
            : "WAITING";
      return { state, amountFen: yuanToFen(answer.total_amount ?? ""), tradeNo: answer.trade_no };
    },
    async close(paymentId) {
      const answer = await call("alipay.trade.close", { out_trade_no: paymentId });
      if (answer.code !== "10000" && answer.code !== "40004") throw new GatewayRefused(answer.sub_code ?? "CLOSE");
    },
    async refund(refund) {
      const answer = await call("alipay.trade.refund", {
        out_trade_no: refund.paymentId,
        out_request_no: refund.refundId,
        refund_amount: fenToYuan(refund.amountFen),
      });
      if (answer.code !== "10000") throw new GatewayRefused(answer.sub_code ?? "REFUND");
      return answer.trade_no ?? "";
    },
    readNotification(body) {
      const params = Object.fromEntries(new URLSearchParams(body));
      if (
        !params.sign ||
        !rsaVerify(canonicalString(params, ["sign", "sign_type"]), params.sign, options.gatewayPublicKey)
      ) {
        throw new NotificationRejected("bad signature");
      }
      if (params.app_id !== options.appId) throw new NotificationRejected("another merchant's notification");
      const amountFen = yuanToFen(params.total_amount ?? "");
      if (!params.out_trade_no || amountFen === undefined) throw new NotificationRejected("malformed");
      return {
        paymentId: params.out_trade_no,
        amountFen,
        tradeNo: params.trade_no ?? "",
        paid: params.trade_status === "TRADE_SUCCESS" || params.trade_status === "TRADE_FINISHED",
        status: params.trade_status ?? "",
      };
    },
    answer(outcome) {
      return { status: 200, contentType: "text/plain", body: outcome === "accepted" ? "success" : "fail" };
    },
    async statement(businessDate) {
      return parseStatement(await getText(`${options.url}/statement?date=${businessDate}`, options.timeoutMs));
    },
  };
}
