import Fastify, { type FastifyInstance } from "fastify";
import { GATEWAY_NAMES, NotificationRejected, type GatewayName } from "./gateways/online-gateway.js";
import type { PaymentsDeps } from "./payments-deps.js";
import { settlePayment } from "./settle-payment.js";

const PATHS: Record<string, GatewayName> = { alipay: "ALIPAY", wechat_pay: "WECHAT_PAY", unionpay: "UNIONPAY" };

/**
 * The HTTP endpoint the gateways post their asynchronous notifications to: `POST /payments/notify/<gateway>`.
 * Each body is checked against that gateway's own keys and merchant id, then the amount against the payment's,
 * then applied once (settlePayment). The answer is in the gateway's own format: "accepted" stops its retries;
 * a forged or unreadable notification and one billing cannot apply yet get "retry" (a real gateway only retries
 * what it sent). Every decision is logged with the payment id and answered with `x-omnihall-reason`.
 */
export async function startNotificationServer(
  deps: PaymentsDeps,
  options: { host: string; port: number },
): Promise<{ server: FastifyInstance; url: string }> {
  const server = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  // Signatures cover the body exactly as sent: keep it as text, whatever the gateway calls its content type.
  server.removeAllContentTypeParsers();
  server.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));

  for (const name of GATEWAY_NAMES) if (!deps.gateways.get(name)) throw new Error(`no gateway ${name}`);

  server.post<{ Params: { gateway: string } }>("/payments/notify/:gateway", async (request, reply) => {
    const gateway = deps.gateways.get(PATHS[request.params.gateway] ?? ("" as GatewayName));
    if (!gateway) return reply.code(404).header("x-omnihall-reason", "GATEWAY_UNKNOWN").send("unknown gateway");
    const log = deps.logger.child({ gateway: gateway.name });
    const respond = (outcome: "accepted" | "retry", reason: string) => {
      const answer = gateway.answer(outcome);
      return reply
        .code(outcome === "accepted" ? 200 : Math.max(answer.status, 400))
        .header("content-type", answer.contentType)
        .header("x-omnihall-reason", reason)
        .send(answer.body);
    };

    let notification;
    try {
      notification = gateway.readNotification(typeof request.body === "string" ? request.body : "");
    } catch (error) {
      if (!(error instanceof NotificationRejected)) throw error;
      log.warn({ why: error.message }, "notification refused: not the gateway's");
      return respond("retry", "NOTIFICATION_SIGNATURE_INVALID");
    }
    const paymentLog = log.child({ paymentId: notification.paymentId, gatewayStatus: notification.status });
    if (!notification.paid) {
      // A "waiting" or "closed" report arriving after the "paid" one (out of order) changes nothing: billing
      // moves a payment only forward, and expiry is billing's own decision after it closed the trade.
      paymentLog.info({}, "notification of an unpaid state: nothing to apply");
      return respond("accepted", "NOTIFICATION_NOT_PAID");
    }
    const { decision } = await settlePayment(deps.db, log.child({ gatewayStatus: notification.status }), {
      paymentId: notification.paymentId,
      amountFen: notification.amountFen,
      providerReference: notification.tradeNo,
      source: "notification",
    });
    switch (decision) {
      case "CREDITED":
      case "ALREADY_SUCCEEDED":
        return respond("accepted", decision);
      case "PAYMENT_NOT_PENDING":
        // Paid at the gateway after we expired or cancelled it: nothing credited, the daily reconciliation
        // reports it (missing on our side) for a person to refund; the gateway need not repeat itself.
        return respond("accepted", decision);
      case "AMOUNT_MISMATCH":
      case "PAYMENT_NOT_FOUND":
        return respond("retry", decision);
    }
  });

  const address = await server.listen({ host: options.host, port: options.port });
  return { server, url: address };
}
