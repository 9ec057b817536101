import {
  callOptions,
  enumView,
  fenAmount,
  fenOf,
  idempotencyKeyHeader,
  idempotentRequestId,
  requireSession,
  SESSION_SECURITY,
  timeOf,
} from "@omnihall/hall-kit";
import {
  PaymentMethod,
  PaymentPurpose,
  PaymentStatus,
  type Payment,
} from "@omnihall/proto/omnihall/billing/v1/billing";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { FastifyInstance } from "fastify";
import type { MiniHallClients } from "../clients.js";
import { MINI_HALL } from "../hall-name.js";

const paymentStatuses = enumView(PaymentStatus, "PAYMENT_STATUS_");

interface PaymentBody {
  subscriberId: string;
  amountFen: number;
  method: "CASH" | "BANK_CARD";
  /** BANK_CARD: what the handheld's card reader read. */
  card?: { pan: string; expiry: string; pinBlock?: string; terminalId: string };
  /** CASH: the notes the agent took, in the order counted. */
  notesFen?: number[];
}

const paymentSchema = {
  type: "object",
  properties: {
    paymentId: { type: "string" },
    subscriberId: { type: "string" },
    method: { type: "string" },
    amountFen: { type: "integer" },
    status: { type: "string", enum: [...paymentStatuses.names] },
    balanceAfterFen: { type: "integer" },
    failureReason: { type: "string" },
    failureMessages: { type: "object", properties: { "zh-CN": { type: "string" }, en: { type: "string" } } },
    providerReference: { type: "string" },
    successTime: { type: "string", format: "date-time" },
    receiptBySms: {
      type: "boolean",
      description: "The subscriber is texted this receipt (notify, on billing's event for a payment taken in person)",
    },
  },
} as const;

/** The receipt the handheld shows: what billing says happened, nothing computed here. */
function receiptView(payment: Payment, method: PaymentBody["method"]) {
  return {
    paymentId: payment.paymentId,
    subscriberId: payment.subscriberId,
    method,
    amountFen: fenOf(payment.amountFen),
    status: paymentStatuses.nameOf(payment.status),
    balanceAfterFen: fenOf(payment.balanceAfterFen),
    failureReason: payment.failureReason,
    failureMessages: { "zh-CN": payment.failureMessage?.zhCn ?? "", en: payment.failureMessage?.en ?? "" },
    providerReference: payment.providerReference,
    successTime: timeOf(payment.successTime),
    // Billing's event for a payment an agent took makes notify text the receipt; the page says so.
    receiptBySms: payment.status === PaymentStatus.PAYMENT_STATUS_SUCCEEDED && Boolean(payment.takenBy?.agentId),
  };
}

/**
 * Taking money on the spot, always online: a card sale goes to the acquirer during the call (billing decides,
 * reverses a sale whose answer was lost and never charges twice for one Idempotency-Key); cash is counted note
 * by note and credited once when closed. Nothing here is ever queued on the device or replayed by a sync: a card
 * is not charged on a schedule the cardholder does not see.
 */
export async function paymentRoutes(app: FastifyInstance, { clients }: { clients: MiniHallClients }) {
  app.addHook("onRequest", requireSession("agent"));

  app.post<{ Body: PaymentBody }>(
    "/v1/payments",
    {
      schema: {
        summary: "Take a payment for a subscriber: bank card on the handheld's POS, or cash",
        tags: ["payments"],
        security: SESSION_SECURITY,
        headers: idempotencyKeyHeader,
        body: {
          type: "object",
          required: ["subscriberId", "amountFen", "method"],
          additionalProperties: false,
          properties: {
            subscriberId: { type: "string", maxLength: 80 },
            amountFen: fenAmount({ minimum: 1 }),
            method: { type: "string", enum: ["CASH", "BANK_CARD"] },
            card: {
              type: "object",
              required: ["pan", "expiry", "terminalId"],
              additionalProperties: false,
              properties: {
                pan: { type: "string", maxLength: 19 },
                expiry: { type: "string", maxLength: 4 },
                pinBlock: { type: "string", maxLength: 32 },
                terminalId: { type: "string", maxLength: 8 },
              },
            },
            notesFen: { type: "array", maxItems: 200, items: fenAmount({ minimum: 1 }) },
          },
        },
        response: { 201: { type: "object", properties: { payment: paymentSchema } } },
      },
    },
    async (request, reply) => {
      const requestId = idempotentRequestId(request, MINI_HALL);
      const body = request.body;
      const { payment } = await clients.billing.createPayment(
        {
          requestId,
          subscriberId: body.subscriberId,
          amountFen: BigInt(body.amountFen),
          purpose: PaymentPurpose.PAYMENT_PURPOSE_TOP_UP,
          orderId: "",
          paymentMethod:
            body.method === "BANK_CARD" ? PaymentMethod.PAYMENT_METHOD_BANK_CARD : PaymentMethod.PAYMENT_METHOD_CASH,
          channel: Channel.CHANNEL_UNSPECIFIED,
          card: body.card ? { pinBlock: "", ...body.card } : undefined,
          returnUrl: "",
        },
        callOptions(request),
      );
      let settled = payment!;
      if (body.method === "CASH" && settled.status === PaymentStatus.PAYMENT_STATUS_PENDING) {
        // Each note by its sequence number: a retried request counts none twice; closing credits once.
        for (const [index, denominationFen] of (body.notesFen ?? []).entries()) {
          await clients.billing.recordCashNote(
            {
              paymentId: settled.paymentId,
              sequence: index + 1,
              denominationFen: BigInt(denominationFen),
              subscriberId: body.subscriberId,
            },
            callOptions(request),
          );
        }
        const closed = await clients.billing.closeCashSession(
          { requestId: `${requestId}:close`, paymentId: settled.paymentId, subscriberId: body.subscriberId },
          callOptions(request),
        );
        settled = closed.payment!;
      }
      return reply.code(201).send({ payment: receiptView(settled, body.method) });
    },
  );
}
