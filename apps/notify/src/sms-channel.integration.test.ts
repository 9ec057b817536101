import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it, onTestFinished } from "vitest";
import { demoSubscribers } from "@omnihall/demo-data";
import { newId } from "@omnihall/ids";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { MessageKind, MessageStatus } from "@omnihall/proto/omnihall/notify/v1/notify";
import { SIGNATURE_HEADER, signWebhookBody } from "./providers/index.js";
import { startNotifyStack } from "./testing/notify-stack.js";
import { waitFor } from "@omnihall/testkit";

const SECRET = "gateway-shared-secret-for-tests";
const [subscriber] = demoSubscribers(1);

/** An HTTP SMS gateway on a free port: takes each message, answers with one id per message. */
async function startGateway() {
  const received: Array<{ body: { messageId: string; from: string; to: string; text: string }; key: string }> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
        key: String(request.headers["idempotency-key"]),
      });
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ providerMessageIds: [`gw-${received.length}`] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`, received };
}

describe("the webhook SMS channel", () => {
  it("posts messages to the gateway and takes its signed delivery reports", async () => {
    const gateway = await startGateway();
    const { client, notify } = await startNotifyStack({
      SMS_PROVIDER: "webhook",
      SMS_WEBHOOK_URL: gateway.url,
      SMS_WEBHOOK_SECRET: SECRET,
      DELIVERY_REPORT_PORT: "0",
    });
    const { message } = await client.sendMessage({
      requestId: newId("req"),
      subscriberId: subscriber!.subscriberId,
      kind: MessageKind.MESSAGE_KIND_SERVICE,
      templateCode: "LOGIN_CODE",
      variables: { code: "246810", minutes: "5" },
      campaignId: "",
      channel: Channel.CHANNEL_WEB_HALL,
      languageCode: "",
    });
    const posted = await waitFor("the gateway post", () =>
      gateway.received.find((r) => r.body.text.includes("246810")),
    );
    expect(posted.key).toBe(message!.messageId);
    expect(posted.body).toMatchObject({ from: "10086", to: subscriber!.msisdn });
    const sent = await waitFor("SENT", async () => {
      const { message: now } = await client.getMessage({ messageId: message!.messageId });
      return now!.status === MessageStatus.MESSAGE_STATUS_SENT && now;
    });
    const providerMessageId = sent.parts[0]!.providerMessageId;

    const post = (body: string, signature: string) =>
      fetch(notify.deliveryReportUrl!, { method: "POST", body, headers: { [SIGNATURE_HEADER]: signature } });
    const report = JSON.stringify({ providerMessageId, messageId: message!.messageId, status: "DELIVERED" });
    expect((await post(report, signWebhookBody("not the secret", report))).status).toBe(401);
    expect((await post(report, signWebhookBody(SECRET, report))).status).toBeLessThan(300);
    const { message: delivered } = await client.getMessage({ messageId: message!.messageId });
    expect(delivered!.status).toBe(MessageStatus.MESSAGE_STATUS_DELIVERED);
  });
});
