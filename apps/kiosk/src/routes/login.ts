import { randomUUID } from "node:crypto";
import {
  callOptions,
  HallError,
  startSession,
  startedSessionProperties,
  type SessionTransport,
} from "@omnihall/hall-kit";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { IdDocumentKind } from "@omnihall/proto/omnihall/customer/v1/terminal";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { KioskContext } from "../kiosk-context.js";
import { deviceParty } from "../terminal.js";
import { maskMsisdn, meSchema } from "./views.js";

/** The hall names no channel: services take CHANNEL_KIOSK from the kiosk's caller identity. */
const FROM_CALLER = Channel.CHANNEL_UNSPECIFIED;
const msisdnField = { type: "string", minLength: 1, maxLength: 32, description: "Mobile number, e.g. 13800138000" };
const codeField = { type: "string", minLength: 1, maxLength: 16 };
const transportField = { type: "string", enum: ["bearer", "cookie"] };

const CARD_GONE = new HallError(409, "ID_CARD_NOT_PRESENT", {
  "zh-CN": "未读取到身份证，请将身份证放在读卡区。",
  en: "No ID card was read; place the ID card on the reader.",
});
const NUMBER_NOT_ON_CARD = new HallError(400, "ID_CARD_CHOICE_INVALID", {
  "zh-CN": "请选择该身份证名下的号码。",
  en: "Choose one of the numbers registered to this ID card.",
});

/**
 * Identification at the kiosk: a phone number + SMS code, or an ID card on the reader. An ID card shows whose
 * numbers they are (the customer service decides which, masked), and the person still proves they hold the phone
 * with a one-time code before the session starts — an ID card alone never lets anyone spend.
 */
export async function loginRoutes(app: FastifyInstance, { kiosk }: { kiosk: KioskContext }) {
  const { clients, config, idCards } = kiosk;
  const asDevice = (request: FastifyRequest) => ({ ...callOptions(request), party: deviceParty(config) });

  async function sendCode(request: FastifyRequest, msisdn: string) {
    const answer = await clients.customer.startLogin(
      { requestId: randomUUID(), msisdn, channel: FROM_CALLER },
      asDevice(request),
    );
    return { expireTime: answer.expireTime?.toISOString(), resendTime: answer.resendTime?.toISOString() };
  }

  async function logIn(
    request: FastifyRequest,
    reply: FastifyReply,
    msisdn: string,
    code: string,
    transport?: SessionTransport,
  ) {
    const { subscriber } = await clients.customer.verifyLogin(
      { requestId: randomUUID(), msisdn, code, channel: FROM_CALLER },
      asDevice(request),
    );
    const started = startSession(
      app,
      reply,
      {
        kind: "subscriber",
        subscriberId: subscriber!.subscriberId,
        msisdn: subscriber!.msisdn,
        deviceId: config.KIOSK_TERMINAL_ID,
      },
      transport ?? "cookie",
    );
    return reply.code(201).send({
      ...started,
      me: { subscriberId: subscriber!.subscriberId, maskedMsisdn: maskMsisdn(subscriber!.msisdn) },
    });
  }

  const codeSent = {
    202: { type: "object", properties: { expireTime: { type: "string" }, resendTime: { type: "string" } } },
  };
  const sessionStarted = { 201: { type: "object", properties: { ...startedSessionProperties, me: meSchema } } };

  app.post<{ Body: { msisdn: string } }>(
    "/v1/login/codes",
    {
      schema: {
        summary: "Send a one-time login code by SMS",
        tags: ["login"],
        body: {
          type: "object",
          required: ["msisdn"],
          additionalProperties: false,
          properties: { msisdn: msisdnField },
        },
        response: codeSent,
      },
    },
    async (request, reply) => reply.code(202).send(await sendCode(request, request.body.msisdn)),
  );

  app.post<{ Body: { msisdn: string; code: string; transport?: SessionTransport } }>(
    "/v1/sessions",
    {
      schema: {
        summary: "Log in with the code (cookie session by default: the kiosk's screen is a browser)",
        tags: ["login"],
        body: {
          type: "object",
          required: ["msisdn", "code"],
          additionalProperties: false,
          properties: { msisdn: msisdnField, code: codeField, transport: transportField },
        },
        response: sessionStarted,
      },
    },
    async (request, reply) => logIn(request, reply, request.body.msisdn, request.body.code, request.body.transport),
  );

  // The card reader's last card: its holder's numbers as the customer service answers them for this kiosk.
  const answered = new Map<string, Array<{ msisdn: string; maskedMsisdn: string }>>();
  async function numbersOf(request: FastifyRequest, readId: string) {
    const card = idCards.current();
    if (!card || card.readId !== readId) throw CARD_GONE;
    let numbers = answered.get(card.readId);
    if (!numbers) {
      const { subscribers } = await clients.terminals.findSubscribersByIdDocument(
        { kind: IdDocumentKind.ID_DOCUMENT_KIND_RESIDENT_ID_CARD, number: card.number },
        asDevice(request),
      );
      numbers = subscribers.map((s) => ({ msisdn: s.msisdn, maskedMsisdn: s.maskedMsisdn }));
      answered.clear();
      answered.set(card.readId, numbers);
    }
    return numbers;
  }
  async function chosen(request: FastifyRequest, readId: string, choice: number) {
    const numbers = await numbersOf(request, readId);
    const number = numbers[choice];
    if (!number) throw NUMBER_NOT_ON_CARD;
    return number.msisdn;
  }

  app.get(
    "/v1/id-card",
    {
      schema: {
        summary: "The ID card on the reader, if any, and the numbers registered to it (masked)",
        tags: ["login"],
        response: {
          200: {
            type: "object",
            required: ["present"],
            properties: {
              present: { type: "boolean" },
              readId: { type: "string" },
              numbers: {
                type: "array",
                items: {
                  type: "object",
                  required: ["choice", "maskedMsisdn"],
                  properties: { choice: { type: "integer" }, maskedMsisdn: { type: "string" } },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const card = idCards.current();
      if (!card) return { present: false };
      const numbers = await numbersOf(request, card.readId);
      return {
        present: true,
        readId: card.readId,
        numbers: numbers.map((n, choice) => ({ choice, maskedMsisdn: n.maskedMsisdn })),
      };
    },
  );

  const cardChoice = {
    readId: { type: "string", minLength: 1, maxLength: 64 },
    choice: { type: "integer", minimum: 0, maximum: 99 },
  };
  app.post<{ Body: { readId: string; choice: number } }>(
    "/v1/id-card/codes",
    {
      schema: {
        summary: "Send the login code to the number chosen from the ID card's",
        tags: ["login"],
        body: { type: "object", required: ["readId", "choice"], additionalProperties: false, properties: cardChoice },
        response: codeSent,
      },
    },
    async (request, reply) =>
      reply.code(202).send(await sendCode(request, await chosen(request, request.body.readId, request.body.choice))),
  );

  app.post<{ Body: { readId: string; choice: number; code: string; transport?: SessionTransport } }>(
    "/v1/id-card/sessions",
    {
      schema: {
        summary: "Log in with the ID card's chosen number and its code",
        tags: ["login"],
        body: {
          type: "object",
          required: ["readId", "choice", "code"],
          additionalProperties: false,
          properties: { ...cardChoice, code: codeField, transport: transportField },
        },
        response: sessionStarted,
      },
    },
    async (request, reply) => {
      const msisdn = await chosen(request, request.body.readId, request.body.choice);
      const answer = await logIn(request, reply, msisdn, request.body.code, request.body.transport);
      idCards.clear();
      answered.clear();
      return answer;
    },
  );
}
