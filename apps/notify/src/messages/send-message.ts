import { preparedLookup } from "@omnihall/db";
import type { CallContext } from "@omnihall/service-kit";
import {
  MessageKind as ProtoKind,
  type SendMessageRequest,
  type SendMessageResponse,
} from "@omnihall/proto/omnihall/notify/v1/notify";
import { currentConsentState } from "../consent/consent-state.js";
import { notifyError } from "../errors.js";
import { requestHash } from "../request-hash.js";
import type { NotifyDeps } from "../service-deps.js";
import { findTemplate, type Language, type MessageKind } from "../templates/catalog.js";
import { messageLanguage, renderMessage, type RenderFailure } from "../templates/render.js";
import { requireRequestId, requireSubscriberId } from "../validation.js";
import { toProtoMessage, type MessageWithParts } from "./message-view.js";
import { queueMessage, queueMessageAlone } from "./queue-message.js";

const KIND_FROM_PROTO: Partial<Record<ProtoKind, MessageKind>> = {
  [ProtoKind.MESSAGE_KIND_SERVICE]: "SERVICE",
  [ProtoKind.MESSAGE_KIND_MARKETING]: "MARKETING",
};

const messageByDedupeKey = preparedLookup<{ dedupeKey: string }>(
  "notify_messages_by_dedupe_key",
  `SELECT dedupe_key AS "dedupeKey" FROM message WHERE dedupe_key = ANY($1::text[])`,
  (row) => row.dedupeKey,
);

/** Who may send marketing: the campaign system, and the platform's own tools. */
const MARKETING_SENDERS = new Set(["campaigns", "platform"]);

/**
 * SendMessage: validate, look up the recipient, check marketing consent, render in the recipient's language and
 * queue, once per request_id. Consent is checked again when the message is sent (see Dispatcher).
 */
export function sendMessage(deps: NotifyDeps) {
  return async (request: SendMessageRequest, ctx: CallContext): Promise<SendMessageResponse> => {
    const requestId = requireRequestId(request.requestId);
    const subscriberId = requireSubscriberId(request.subscriberId);
    const kind = KIND_FROM_PROTO[request.kind];
    if (!kind) throw notifyError("MESSAGE_KIND_REQUIRED", { field: "kind" });
    // Marketing reaches people only through a campaign (its targeting, consent and quiet-hour rules): other
    // callers may send service messages only.
    if (kind === "MARKETING" && !MARKETING_SENDERS.has(ctx.caller)) throw notifyError("CALLER_NOT_ALLOWED");
    if (kind === "MARKETING" && !request.campaignId.trim()) {
      throw notifyError("CAMPAIGN_ID_REQUIRED", { field: "campaign_id" });
    }
    if (kind === "SERVICE" && request.campaignId)
      throw notifyError("CAMPAIGN_ID_NOT_ALLOWED", { field: "campaign_id" });
    // Templates only the service's own event consumers may use do not exist for callers.
    const template = findTemplate(request.templateCode);
    if (template?.eventOnly || (template?.callers && !template.callers.includes(ctx.caller))) {
      throw renderError({ reason: "TEMPLATE_UNKNOWN" });
    }
    const render = (language: Language) =>
      renderMessage({ templateCode: request.templateCode, kind, language, variables: request.variables });
    // Bad input is refused before anyone is looked up.
    const check = render("zh-CN");
    if (!check.ok) throw renderError(check);

    const dedupeKey = `request:${requestId}`;
    const hash = requestHash({
      subscriberId,
      kind,
      templateCode: request.templateCode,
      variables: request.variables,
      campaignId: request.campaignId,
      channel: request.channel,
      // Only when set, so requests from before the field existed keep their fingerprint.
      ...(request.languageCode && { languageCode: request.languageCode }),
    });
    const answer = (message: MessageWithParts): SendMessageResponse => {
      if (message.requestHash !== hash) throw notifyError("REQUEST_ID_REUSED", { field: "request_id" });
      return { message: toProtoMessage(message) };
    };
    // Most requests are new: a prepared existence check, coalesced under load (see preparedLookup), instead of a
    // Prisma read per call.
    if (await messageByDedupeKey(deps.db, dedupeKey)) {
      const earlier = await deps.db.message.findUnique({ where: { dedupeKey }, include: { parts: true } });
      if (earlier) return answer(earlier);
    }

    const recipient = await deps.recipients.byId(subscriberId, ctx.requestId);
    if (kind === "MARKETING" && !recipient.active) throw notifyError("SUBSCRIBER_INACTIVE");
    // A hall may answer in the language the subscriber just wrote in rather than their preferred one.
    const rendered = render(request.languageCode ? messageLanguage(request.languageCode) : recipient.language);
    if (!rendered.ok) throw renderError(rendered);

    const newMessage = {
      dedupeKey,
      requestHash: hash,
      recipient,
      kind,
      templateCode: request.templateCode,
      text: rendered.text,
      campaignId: request.campaignId,
      channel: request.channel,
    };
    // A service message is one statement on its own; marketing is queued in the transaction that read its consent.
    const { message, created } =
      kind === "SERVICE"
        ? await queueMessageAlone(deps.db, newMessage, deps.policy)
        : await deps.db.$transaction(async (tx) => {
            const consent = await currentConsentState(tx, subscriberId);
            if (consent === "OPTED_OUT") throw notifyError("MARKETING_OPTED_OUT");
            if (consent === "NONE") throw notifyError("MARKETING_CONSENT_MISSING");
            return queueMessage(tx, newMessage, deps.policy);
          });
    // Debug, as the service kit has it: a call's one info line is its "rpc finished" (the message is found again by
    // its dedupe key, request:<request id>).
    if (created) {
      ctx.log.debug({ messageId: message.id, kind, templateCode: request.templateCode }, "message queued");
    }
    return answer(message);
  };
}

function renderError(failure: RenderFailure) {
  switch (failure.reason) {
    case "TEMPLATE_UNKNOWN":
      return notifyError("TEMPLATE_UNKNOWN", { field: "template_code" });
    case "TEMPLATE_KIND_MISMATCH":
      return notifyError("TEMPLATE_KIND_MISMATCH", { field: "template_code" });
    default:
      return notifyError(failure.reason, { field: `variables[${failure.variable}]`, detail: failure.variable });
  }
}
