import { describe, expect, it } from "vitest";
import { status as GrpcStatus } from "@grpc/grpc-js";
import { ServiceCallError } from "@omnihall/channel-client";
import { demoSubscribers } from "@omnihall/demo-data";
import { newId } from "@omnihall/ids";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import {
  ConsentState,
  MessageKind,
  MessageStatus,
  type SendMessageRequest,
} from "@omnihall/proto/omnihall/notify/v1/notify";
import { startNotifyStack } from "../testing/notify-stack.js";
import { waitFor } from "@omnihall/testkit";

const [chinese, second, , , , , , english] = demoSubscribers(8);

/** The error a call failed with (fails the test when it succeeded). */
async function failure(call: Promise<unknown>): Promise<ServiceCallError> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ServiceCallError);
  return error as ServiceCallError;
}

function marketing(subscriberId: string, overrides: Partial<SendMessageRequest> = {}): SendMessageRequest {
  return {
    requestId: newId("req"),
    subscriberId,
    kind: MessageKind.MESSAGE_KIND_MARKETING,
    templateCode: "MARKETING_OFFER",
    variables: { offer: "5G 加油包", details: "10GB 仅需 10 元" },
    campaignId: "cmp_autumn",
    channel: Channel.CHANNEL_OPS_CONSOLE,
    languageCode: "",
    ...overrides,
  };
}

/** Quiet hours from a minute ago to an hour from now in Shanghai, whenever the test runs. */
function quietNow(): string {
  const shanghai = (offsetMs: number) => new Date(Date.now() + offsetMs + 8 * 3_600_000).toISOString().slice(11, 16);
  return `${shanghai(-60_000)}-${shanghai(3_600_000)}`;
}

describe("NotifyService over gRPC", () => {
  it("refuses marketing without consent, sends it with consent, and stops it at once on opt-out", async () => {
    const { client, smsc } = await startNotifyStack({ MARKETING_QUIET_HOURS: "00:00-00:00" });
    const subscriberId = chinese!.subscriberId;

    const refused = await failure(client.sendMessage(marketing(subscriberId)));
    expect(refused.code).toBe(GrpcStatus.FAILED_PRECONDITION);
    expect(refused.reason).toBe("MARKETING_CONSENT_MISSING");
    expect(refused.messages["zh-CN"]).toContain("未同意");

    const granted = await client.recordConsent({
      requestId: newId("req"),
      subscriberId,
      channel: Channel.CHANNEL_WEB_HALL,
      evidence: "web hall signup form v3, box ticked",
    });
    expect(granted.consent!.state).toBe(ConsentState.CONSENT_STATE_GRANTED);

    const { message } = await client.sendMessage(marketing(subscriberId));
    expect(message!.kind).toBe(MessageKind.MESSAGE_KIND_MARKETING);
    expect(message!.sender).toBe("1068610086");
    expect(message!.text).toBe("【Omnihall】5G 加油包：10GB 仅需 10 元回复TD退订");
    const offers = () => smsc.submits.filter((submit) => submit.text.includes("加油包"));
    const [offer] = await waitFor("the offer", () => offers().length && offers());
    expect(offer!.sourceAddr).toBe("1068610086");
    expect(offer!.destinationAddr).toBe(chinese!.msisdn);

    // "TD" texted to the SMS hall: it knows only the number.
    const optedOut = await client.optOut({
      requestId: newId("req"),
      msisdn: chinese!.msisdn,
      channel: Channel.CHANNEL_SMS_HALL,
      evidence: "TD",
    });
    expect(optedOut.consent).toMatchObject({ subscriberId, state: ConsentState.CONSENT_STATE_OPTED_OUT });
    expect(optedOut.consent!.records.map((record) => record.evidence)).toEqual([
      "TD",
      "web hall signup form v3, box ticked",
    ]);
    const blocked = await failure(client.sendMessage(marketing(subscriberId)));
    expect(blocked.reason).toBe("MARKETING_OPTED_OUT");

    // Service messages still go out.
    const service = await client.sendMessage({
      requestId: newId("req"),
      subscriberId,
      kind: MessageKind.MESSAGE_KIND_SERVICE,
      templateCode: "LOGIN_CODE",
      variables: { code: "551234", minutes: "5" },
      campaignId: "",
      channel: Channel.CHANNEL_WEB_HALL,
      languageCode: "",
    });
    expect(service.message!.sender).toBe("10086");
    await waitFor("the service message", () => smsc.submits.some((s) => s.text.includes("551234")));
    const consent = await client.getConsent({ subscriberId });
    expect(consent.consent!.state).toBe(ConsentState.CONSENT_STATE_OPTED_OUT);
  });

  it("defers marketing in quiet hours, and does not send it after an opt-out", async () => {
    const { client, smsc, db } = await startNotifyStack({ MARKETING_QUIET_HOURS: quietNow() });
    const subscriberId = second!.subscriberId;
    await client.recordConsent({
      requestId: newId("req"),
      subscriberId,
      channel: Channel.CHANNEL_KIOSK,
      evidence: "kiosk consent screen",
    });
    const { message } = await client.sendMessage(marketing(subscriberId));
    expect(message!.status).toBe(MessageStatus.MESSAGE_STATUS_DEFERRED);
    expect(message!.nextAttemptTime!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);

    await client.optOut({ requestId: newId("req"), subscriberId, channel: Channel.CHANNEL_WEB_HALL, evidence: "" });
    // As if the morning had come: the dispatcher takes the message up again and finds the opt-out.
    await db.message.update({ where: { id: message!.messageId }, data: { nextAttemptAt: new Date() } });
    const failed = await waitFor("the opt-out to stop it", async () => {
      const { message: now } = await client.getMessage({ messageId: message!.messageId });
      return now!.status === MessageStatus.MESSAGE_STATUS_FAILED && now;
    });
    expect(failed.lastError).toBe("MARKETING_OPTED_OUT");
    // (Other tests' events may reach this SMSC as service messages; no marketing may.)
    expect(smsc.submits.filter((submit) => submit.sourceAddr === "1068610086")).toHaveLength(0);
  });

  it("answers a retried request with the first message and refuses a reused request id", async () => {
    const { client, smsc, settled } = await startNotifyStack();
    const request: SendMessageRequest = {
      requestId: newId("req"),
      subscriberId: english!.subscriberId,
      kind: MessageKind.MESSAGE_KIND_SERVICE,
      templateCode: "LOGIN_CODE",
      variables: { code: "902211", minutes: "5" },
      campaignId: "",
      channel: Channel.CHANNEL_KIOSK,
      languageCode: "",
    };
    const answers = await Promise.all(Array.from({ length: 5 }, () => client.sendMessage(request)));
    expect(new Set(answers.map((answer) => answer.message!.messageId)).size).toBe(1);
    expect(answers[0]!.message!.languageCode).toBe("en");
    const reused = await failure(client.sendMessage({ ...request, variables: { code: "111111", minutes: "5" } }));
    expect(reused.code).toBe(GrpcStatus.ALREADY_EXISTS);
    expect(reused.reason).toBe("REQUEST_ID_REUSED");
    await waitFor("the send", () => smsc.submits.some((s) => s.text.includes("902211")));
    await settled(); // nothing left queued that could go out a second time
    expect(smsc.submits.filter((s) => s.text.includes("902211"))).toHaveLength(1);
  });

  it("reports delivery per message and per part, and pages through a subscriber's messages", async () => {
    const { client, smsc } = await startNotifyStack();
    const subscriberId = chinese!.subscriberId;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { message } = await client.sendMessage({
        requestId: newId("req"),
        subscriberId,
        kind: MessageKind.MESSAGE_KIND_SERVICE,
        templateCode: "USAGE_SUMMARY",
        // Long enough for two UCS-2 parts.
        variables: { period: `第${i}期`, summary: "流量 24GB/30GB，通话 100分钟/300分钟，短信 3条/100条".repeat(2) },
        campaignId: "",
        channel: Channel.CHANNEL_SYSTEM,
        languageCode: "",
      });
      ids.push(message!.messageId);
    }
    const sent = await waitFor("every part sent", async () => {
      const { message } = await client.getMessage({ messageId: ids[0]! });
      return message!.status === MessageStatus.MESSAGE_STATUS_SENT && message;
    });
    expect(sent.parts.map((part) => part.sequence)).toEqual([1, 2]);
    expect(sent.parts.every((part) => part.status === MessageStatus.MESSAGE_STATUS_SENT)).toBe(true);
    for (const part of sent.parts) {
      await smsc.sendReceipt(smsc.submits.find((submit) => submit.messageId === part.providerMessageId)!);
    }
    const delivered = await waitFor("DELIVERED", async () => {
      const { message } = await client.getMessage({ messageId: ids[0]! });
      return message!.status === MessageStatus.MESSAGE_STATUS_DELIVERED && message;
    });
    expect(delivered.parts.every((part) => part.status === MessageStatus.MESSAGE_STATUS_DELIVERED)).toBe(true);
    expect(delivered.finishTime).toBeInstanceOf(Date);

    const first = await client.listMessages({
      subscriberId,
      kind: 0,
      status: 0,
      campaignId: "",
      pageSize: 2,
      pageToken: "",
    });
    const second = await client.listMessages({
      subscriberId,
      kind: 0,
      status: 0,
      campaignId: "",
      pageSize: 2,
      pageToken: first.nextPageToken,
    });
    const third = await client.listMessages({
      subscriberId,
      kind: 0,
      status: 0,
      campaignId: "",
      pageSize: 2,
      pageToken: second.nextPageToken,
    });
    const listed = [...first.messages, ...second.messages, ...third.messages].map((message) => message.messageId);
    expect(listed).toEqual([...ids].reverse());
    expect(third.nextPageToken).toBe("");
    const delivered2 = await client.listMessages({
      subscriberId,
      kind: 0,
      status: MessageStatus.MESSAGE_STATUS_DELIVERED,
      campaignId: "",
      pageSize: 0,
      pageToken: "",
    });
    expect(delivered2.messages.map((message) => message.messageId)).toEqual([ids[0]]);
    const wrongToken = await failure(
      client.listMessages({
        subscriberId: "",
        kind: 0,
        status: 0,
        campaignId: "",
        pageSize: 2,
        pageToken: first.nextPageToken,
      }),
    );
    expect(wrongToken.reason).toBe("PAGE_TOKEN_INVALID");
  });

  it("refuses bad input with reasons, never as an internal error", async () => {
    const { client } = await startNotifyStack();
    const base: SendMessageRequest = {
      requestId: newId("req"),
      subscriberId: english!.subscriberId,
      kind: MessageKind.MESSAGE_KIND_SERVICE,
      templateCode: "LOGIN_CODE",
      variables: { code: "1", minutes: "5" },
      campaignId: "",
      channel: Channel.CHANNEL_WEB_HALL,
      languageCode: "",
    };
    const cases: Array<[Partial<SendMessageRequest>, string]> = [
      [{ requestId: "" }, "REQUEST_ID_REQUIRED"],
      [{ subscriberId: "13800138000" }, "SUBSCRIBER_ID_MALFORMED"],
      [{ kind: MessageKind.MESSAGE_KIND_UNSPECIFIED }, "MESSAGE_KIND_REQUIRED"],
      [{ templateCode: "NOPE" }, "TEMPLATE_UNKNOWN"],
      [{ templateCode: "ORDER_CONFIRMATION", variables: { text: "anything" } }, "TEMPLATE_UNKNOWN"],
      [{ templateCode: "MARKETING_OFFER", variables: { offer: "a", details: "b" } }, "TEMPLATE_KIND_MISMATCH"],
      [{ variables: { code: "1" } }, "TEMPLATE_VARIABLE_MISSING"],
      [{ variables: { code: "1", minutes: "5", url: "http://x" } }, "TEMPLATE_VARIABLE_UNKNOWN"],
      [{ variables: { code: "1".repeat(201), minutes: "5" } }, "TEMPLATE_VARIABLE_TOO_LONG"],
      [{ campaignId: "cmp_1" }, "CAMPAIGN_ID_NOT_ALLOWED"],
      [
        {
          kind: MessageKind.MESSAGE_KIND_MARKETING,
          templateCode: "MARKETING_OFFER",
          variables: { offer: "a", details: "b" },
        },
        "CAMPAIGN_ID_REQUIRED",
      ],
    ];
    for (const [override, reason] of cases) {
      const error = await failure(client.sendMessage({ ...base, ...override }));
      expect([error.code, error.reason], reason).toEqual([GrpcStatus.INVALID_ARGUMENT, reason]);
      expect(error.messages.en.length).toBeGreaterThan(0);
    }
    const unknown = await failure(client.sendMessage({ ...base, subscriberId: "sub_nobody" }));
    expect([unknown.code, unknown.reason]).toEqual([GrpcStatus.NOT_FOUND, "SUBSCRIBER_NOT_FOUND"]);
    expect((await failure(client.getMessage({ messageId: "x" }))).reason).toBe("MESSAGE_ID_MALFORMED");
    expect((await failure(client.getMessage({ messageId: "msg_nothing" }))).reason).toBe("MESSAGE_NOT_FOUND");
    const optOut = { requestId: newId("req"), channel: Channel.CHANNEL_SMS_HALL, evidence: "TD" };
    expect((await failure(client.optOut(optOut))).reason).toBe("LOOKUP_REQUIRED");
    expect((await failure(client.optOut({ ...optOut, msisdn: "123" }))).reason).toBe("MSISDN_MALFORMED");
    expect((await failure(client.optOut({ ...optOut, msisdn: "19900000000" }))).reason).toBe("SUBSCRIBER_NOT_FOUND");
    expect((await failure(client.optOut({ ...optOut, subscriberId: english!.subscriberId, channel: 0 }))).reason).toBe(
      "CHANNEL_REQUIRED",
    );
    const consent = { requestId: newId("req"), subscriberId: english!.subscriberId, channel: Channel.CHANNEL_WEB_HALL };
    expect((await failure(client.recordConsent({ ...consent, evidence: " " }))).reason).toBe("EVIDENCE_REQUIRED");
    expect((await failure(client.recordConsent({ ...consent, evidence: "x".repeat(501) }))).reason).toBe(
      "EVIDENCE_TOO_LONG",
    );
    await client.recordConsent({ ...consent, evidence: "form" });
    expect((await failure(client.recordConsent({ ...consent, evidence: "other form" }))).reason).toBe(
      "REQUEST_ID_REUSED",
    );
    expect((await failure(client.getConsent({ subscriberId: "" }))).reason).toBe("SUBSCRIBER_ID_MALFORMED");
  });
});
