import { createHmac, timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { InboundMessage } from "@omnihall/sms-link";

/** Header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` (notify's webhook scheme). */
export const SIGNATURE_HEADER = "x-omnihall-signature";
const TOLERANCE_SECONDS = 300;
const MAX_TEXT = 2000;

export function signWebhookBody(secret: string, rawBody: string, now = new Date()): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${createHmac("sha256", secret).update(`${t}.${rawBody}`).digest("hex")}`;
}

function verified(secret: string, rawBody: string, header: string | undefined): boolean {
  const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header ?? "");
  if (!match) return false;
  if (Math.abs(Date.now() / 1000 - Number(match[1])) > TOLERANCE_SECONDS) return false;
  const expected = createHmac("sha256", secret).update(`${match[1]}.${rawBody}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2]!, "hex"));
}

const error = (reason: string, zh: string, en: string) => ({
  error: { reason, message: zh, messages: { "zh-CN": zh, en } },
});

/**
 * POST /v1/mo: an aggregator gateway hands over one whole inbound text, signed. Body
 * `{ messageId, from, to, text }`; the gateway's messageId makes a redelivery the same message (no second effect).
 * 202 once accepted; 401 for a bad signature, 400 for a bad body.
 */
export function registerMoWebhook(
  app: FastifyInstance,
  secret: string,
  accept: (message: InboundMessage) => void,
): void {
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => done(null, body));
  app.post("/v1/mo", async (request, reply) => {
    const raw = typeof request.body === "string" ? request.body : "";
    const signature = request.headers[SIGNATURE_HEADER];
    if (!verified(secret, raw, Array.isArray(signature) ? signature[0] : signature)) {
      return reply.code(401).send(error("SIGNATURE_INVALID", "签名无效。", "The signature is not valid."));
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return reply.code(400).send(error("BODY_INVALID", "请求体不是有效的 JSON。", "The body is not valid JSON."));
    }
    const { messageId, from, to, text } = (body ?? {}) as Record<string, unknown>;
    if (
      typeof messageId !== "string" ||
      !/^[\w.:-]{1,64}$/.test(messageId) ||
      typeof from !== "string" ||
      !/^\+?\d{5,20}$/.test(from) ||
      typeof to !== "string" ||
      !/^\d{3,21}$/.test(to) ||
      typeof text !== "string" ||
      text.length > MAX_TEXT
    ) {
      return reply
        .code(400)
        .send(
          error(
            "BODY_INVALID",
            "需要 messageId、from、to 和 text（最多 2000 字）。",
            "messageId, from, to and text (at most 2000 characters) are required.",
          ),
        );
    }
    accept({
      from: from.replace(/^\+?86(?=1\d{10}$)/, ""),
      to,
      text,
      binary: false,
      parts: 1,
      expectedParts: 1,
      gatewayMessageIds: [`webhook:${messageId}`],
    });
    return reply.code(202).send({ accepted: true });
  });
}
