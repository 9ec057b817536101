import { newId } from "@omnihall/ids";
import {
  PaymentMethod,
  PaymentPurpose,
  type CreatePaymentRequest,
  type CreatePaymentResponse,
} from "@omnihall/proto/omnihall/billing/v1/billing";
import type { CallContext } from "@omnihall/service-kit";
import { isUniqueViolation } from "@omnihall/db";
import { channelName, paymentMethodName } from "../enum-names.js";
import {
  accountNotFound,
  channelRequired,
  orderIdRequired,
  paymentMethodRequired,
  requestIdReused,
  requireAmount,
  requireRequestId,
  requireSubscriberId,
} from "../errors.js";
import { fingerprintOf } from "../fingerprint.js";
import type { Payment as PaymentRow } from "../generated/prisma/client.js";
import { assertMethodAllowed, paymentMethodNotAllowed } from "./channel-methods.js";
import { gatewayOf } from "./gateways/gateways.js";
import { GatewayUnavailable } from "./gateways/online-gateway.js";
import { cardRequired, gatewayUnavailable, purposeRequired } from "./payment-errors.js";
import { paymentMessage } from "./payment-message.js";
import type { PaymentsDeps } from "./payments-deps.js";
import { cardSale } from "./pos/card-sale.js";

const ONLINE = new Set(["PAYMENT_METHOD_ALIPAY", "PAYMENT_METHOD_WECHAT_PAY", "PAYMENT_METHOD_UNIONPAY"]);

/**
 * Records a payment once per request_id, then hands it to whoever takes the money: the gateway (pay URL), the
 * acquirer (card sale), or the kiosk's acceptor (an open cash session). The row is written before any network call
 * and no transaction is held across one; a retry of a payment whose gateway call failed tries the gateway again
 * (the gateway knows the trade by our payment id, so it is created there once).
 */
export async function createPayment(
  deps: PaymentsDeps,
  request: CreatePaymentRequest,
  ctx: CallContext,
): Promise<CreatePaymentResponse> {
  const { db, config } = deps;
  requireRequestId(request.requestId);
  requireSubscriberId(request.subscriberId);
  requireAmount(request.amountFen, config.TOP_UP_MAX_FEN);
  const channel = channelName(request.channel);
  if (!channel) throw channelRequired();
  const method = paymentMethodName(request.paymentMethod);
  if (!method || request.paymentMethod === PaymentMethod.PAYMENT_METHOD_POINTS) throw paymentMethodRequired();
  assertMethodAllowed(request.channel, request.paymentMethod);
  const isCard = request.paymentMethod === PaymentMethod.PAYMENT_METHOD_BANK_CARD;
  if (!ONLINE.has(method) && method !== "PAYMENT_METHOD_CASH" && !isCard) {
    throw paymentMethodNotAllowed(request.paymentMethod, request.channel);
  }
  const purpose =
    request.purpose === PaymentPurpose.PAYMENT_PURPOSE_TOP_UP
      ? "TOP_UP"
      : request.purpose === PaymentPurpose.PAYMENT_PURPOSE_ORDER
        ? "ORDER"
        : undefined;
  if (!purpose) throw purposeRequired();
  if (purpose === "ORDER" && request.orderId.trim() === "") throw orderIdRequired();
  if (isCard && (!request.card || !/^\d{12,19}$/.test(request.card.pan) || !/^\w{8}$/.test(request.card.terminalId))) {
    throw cardRequired();
  }
  const fingerprint = fingerprintOf({
    subscriberId: request.subscriberId,
    amountFen: request.amountFen,
    purpose,
    orderId: request.orderId,
    channel,
    method,
    card: request.card ? `${request.card.pan.slice(-4)}:${request.card.terminalId}` : "",
  });

  const taker = ctx.party?.kind === "agent" ? ctx.party : undefined;
  const now = deps.now?.() ?? new Date();
  let row = await db.payment.findUnique({ where: { requestId: request.requestId } });
  if (row && row.fingerprint !== fingerprint) throw requestIdReused();
  if (!row) {
    const account = await db.account.findUnique({
      where: { subscriberId: request.subscriberId },
      select: { subscriberId: true },
    });
    if (!account) throw accountNotFound();
    const id = newId("pay");
    const online = ONLINE.has(method);
    try {
      row = await db.payment.create({
        data: {
          id,
          requestId: request.requestId,
          fingerprint,
          subscriberId: request.subscriberId,
          amountFen: request.amountFen,
          channel,
          paymentMethod: method,
          purpose,
          orderId: purpose === "ORDER" ? request.orderId : null,
          // A cash session is open (counting) at once; the others wait for their provider.
          status: method === "PAYMENT_METHOD_CASH" ? "PENDING" : "CREATED",
          expiresAt: online ? new Date(now.getTime() + config.PAYMENT_EXPIRY_SECONDS * 1000) : null,
          nextCheckAt: online
            ? new Date(now.getTime() + config.PAYMENT_QUERY_AFTER_SECONDS * 1000)
            : method === "PAYMENT_METHOD_CASH"
              ? new Date(now.getTime() + config.CASH_SESSION_IDLE_SECONDS * 1000)
              : // A card sale whose answer never comes back is reversed by the sweep if the call dies with us.
                new Date(now.getTime() + config.GATEWAY_TIMEOUT_MS * 2),
          terminalId: isCard ? request.card!.terminalId : null,
          cardLast4: isCard ? request.card!.pan.slice(-4) : null,
          // An agent's party is signed by their hall: who took the money in person is a fact, not a claim.
          takenByAgentId: taker?.agentId ?? null,
          takenOnDeviceId: taker ? (taker.deviceId ?? "") : null,
        },
      });
      ctx.log.info({ paymentId: id, method, amountFen: String(request.amountFen), purpose }, "payment created");
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      row = await db.payment.findUniqueOrThrow({ where: { requestId: request.requestId } });
      if (row.fingerprint !== fingerprint) throw requestIdReused();
    }
  }

  if (row.status === "CREATED" && ONLINE.has(row.paymentMethod)) row = await openAtGateway(deps, row, request, ctx);
  if (row.status === "CREATED" && isCard) row = await cardSale(deps, row, request.card!, ctx);
  return { payment: paymentMessage(row) };
}

async function openAtGateway(
  deps: PaymentsDeps,
  row: PaymentRow,
  request: CreatePaymentRequest,
  ctx: CallContext,
): Promise<PaymentRow> {
  const gateway = gatewayOf(deps.gateways, row.paymentMethod)!;
  let trade;
  try {
    trade = await gateway.create({
      paymentId: row.id,
      amountFen: row.amountFen,
      subject: row.purpose === "ORDER" ? `订单 ${row.orderId}` : "话费充值",
      expiresAt: row.expiresAt!,
      notifyUrl: `${deps.notifyBaseUrl.replace(/\/$/, "")}/payments/notify/${gateway.name.toLowerCase()}`,
      returnUrl: request.returnUrl,
    });
  } catch (error) {
    if (!(error instanceof GatewayUnavailable)) throw error;
    ctx.log.warn({ paymentId: row.id, err: error }, "gateway did not open the trade; the caller may retry");
    throw gatewayUnavailable();
  }
  // Only a CREATED payment moves to PENDING: a notification may already have settled it meanwhile.
  await deps.db.payment.updateMany({
    where: { id: row.id, status: "CREATED" },
    data: { status: "PENDING", payUrl: trade.payUrl, qrPayload: trade.qrPayload },
  });
  ctx.log.info({ paymentId: row.id, gateway: gateway.name }, "payment opened at the gateway");
  return deps.db.payment.findUniqueOrThrow({ where: { id: row.id } });
}
