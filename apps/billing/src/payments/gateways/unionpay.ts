import {
  GatewayRefused,
  GatewayUnavailable,
  NotificationRejected,
  getText,
  parseStatement,
  post,
  type OnlineGateway,
} from "./online-gateway.js";
import { canonicalString, fenOf, rsaSign, rsaVerify, sha256Hex } from "./signing.js";

export interface UnionpayOptions {
  /** The gateway's base URL, e.g. http://127.0.0.1:8090/unionpay. */
  url: string;
  merchantId: string;
  merchantPrivateKey: string;
  gatewayPublicKey: string;
  timeoutMs: number;
}

const FORM = "application/x-www-form-urlencoded;charset=utf-8";
const txnTime = (date = new Date()) =>
  new Date(date.getTime() + 8 * 3600_000).toISOString().replace(/\D/g, "").slice(0, 14);

/**
 * The UnionPay-style (gateway 5.1.0) protocol: form-encoded both ways, signMethod 01 — SHA256withRSA over the hex
 * SHA-256 digest of the sorted parameters, signature excluded; respCode "00" is success; a notification to
 * backUrl is acknowledged by answering HTTP 200.
 */
export function unionpayGateway(options: UnionpayOptions): OnlineGateway {
  const sign = (params: Record<string, string>) => ({
    ...params,
    signature: rsaSign(sha256Hex(canonicalString(params, ["signature"])), options.merchantPrivateKey),
  });
  const verified = (params: Record<string, string>) =>
    !!params.signature &&
    rsaVerify(sha256Hex(canonicalString(params, ["signature"])), params.signature, options.gatewayPublicKey);

  async function call(path: string, params: Record<string, string>) {
    const body = sign({
      version: "5.1.0",
      encoding: "UTF-8",
      signMethod: "01",
      merId: options.merchantId,
      txnTime: txnTime(),
      currencyCode: "156",
      ...params,
    });
    const text = await post(`${options.url}${path}`, new URLSearchParams(body).toString(), FORM, options.timeoutMs);
    const answer = Object.fromEntries(new URLSearchParams(text));
    if (!verified(answer)) throw new GatewayUnavailable(`${path}: unsigned or malformed answer`);
    return answer;
  }

  return {
    name: "UNIONPAY",
    async create(trade) {
      const answer = await call("/gateway/api/frontTransReq.do", {
        txnType: "01",
        orderId: trade.paymentId,
        txnAmt: String(trade.amountFen),
        backUrl: trade.notifyUrl,
        frontUrl: trade.returnUrl,
        payTimeout: txnTime(trade.expiresAt),
      });
      if (answer.respCode !== "00" || !answer.payUrl) throw new GatewayUnavailable(`consume: ${answer.respCode}`);
      return { payUrl: answer.payUrl, qrPayload: answer.qrCode ?? answer.payUrl };
    },
    async query(paymentId) {
      const answer = await call("/gateway/api/queryTrans.do", { txnType: "00", orderId: paymentId });
      if (answer.respCode === "34") return { state: "NOT_FOUND" };
      if (answer.respCode !== "00") throw new GatewayUnavailable(`query: ${answer.respCode}`);
      const state = answer.origRespCode === "00" ? "PAID" : answer.origRespCode === "CL" ? "CLOSED" : "WAITING";
      return { state, amountFen: fenOf(answer.txnAmt), tradeNo: answer.queryId };
    },
    async close(paymentId) {
      const answer = await call("/gateway/api/backTransReq.do", { txnType: "31", orderId: paymentId });
      if (answer.respCode !== "00" && answer.respCode !== "34") throw new GatewayRefused(answer.respCode ?? "CLOSE");
    },
    async refund(refund) {
      const answer = await call("/gateway/api/backTransReq.do", {
        txnType: "04",
        orderId: refund.refundId,
        origOrderId: refund.paymentId,
        txnAmt: String(refund.amountFen),
      });
      if (answer.respCode !== "00") throw new GatewayRefused(answer.respCode ?? "REFUND");
      return answer.queryId ?? "";
    },
    readNotification(body) {
      const params = Object.fromEntries(new URLSearchParams(body));
      if (!verified(params)) throw new NotificationRejected("bad signature");
      if (params.merId !== options.merchantId) throw new NotificationRejected("another merchant's notification");
      const amountFen = fenOf(params.txnAmt);
      if (!params.orderId || amountFen === undefined) throw new NotificationRejected("malformed");
      return {
        paymentId: params.orderId,
        amountFen,
        tradeNo: params.queryId ?? "",
        paid: params.respCode === "00",
        status: params.respCode ?? "",
      };
    },
    answer(outcome) {
      return outcome === "accepted"
        ? { status: 200, contentType: "text/plain", body: "ok" }
        : { status: 503, contentType: "text/plain", body: "retry" };
    },
    async statement(businessDate) {
      return parseStatement(await getText(`${options.url}/statement?date=${businessDate}`, options.timeoutMs));
    },
  };
}
