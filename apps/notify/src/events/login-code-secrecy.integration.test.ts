import { randomInt, randomUUID } from "node:crypto";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { streamName } from "@omnihall/bus";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { CustomerServiceClient } from "@omnihall/proto/omnihall/customer/v1/customer";
import { LoginCodeIssuedEvent } from "@omnihall/proto/omnihall/customer/v1/events";
import pg from "pg";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { startNotifyStack } from "../testing/notify-stack.js";
import { waitFor } from "@omnihall/testkit";

/** Every row of `sql` as JSON text, bytea columns included as text (so a code in them would show). */
async function rowsAsText(databaseUrl: string, sql: string, values: unknown[]): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, unknown>>(sql, values);
    return JSON.stringify(rows, (_, value: unknown) =>
      value && typeof value === "object" && (value as { type?: string }).type === "Buffer"
        ? Buffer.from((value as { data: number[] }).data).toString("latin1")
        : value,
    );
  } finally {
    await client.end();
  }
}

/** The stored CUSTOMER stream message published from outbox row `outboxId` (its msgID), read back from the server. */
async function streamMessage(outboxId: string): Promise<Uint8Array> {
  const nc = await connect({ servers: inject("natsUrl") });
  try {
    const jsm = await jetstreamManager(nc);
    const stream = streamName("customer");
    // The stream is shared with tests running in parallel: walk back from its end to our message.
    let seq = (await jsm.streams.info(stream)).state.last_seq;
    for (let steps = 0; seq > 0 && steps < 5_000; steps++, seq--) {
      const message = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (message?.header.get("Nats-Msg-Id") === outboxId) return message.data;
    }
    throw new Error(`no message ${outboxId} in stream ${stream}`);
  } finally {
    await nc.close();
  }
}

describe("a login code", () => {
  it("is readable on the subscriber's phone only: not in the outbox, the stream, or notify's messages", async () => {
    const { smsc, db, config, customer, customerDatabaseUrl } = await startNotifyStack();
    // A number of our own: the CUSTOMER stream and its login codes are shared with tests running in parallel.
    const msisdn = `199${String(randomInt(0, 1e8)).padStart(8, "0")}`;
    const subscriberId = `sub_secrecy${msisdn}`;
    const customerDb = new pg.Client({ connectionString: customerDatabaseUrl });
    await customerDb.connect();
    onTestFinished(() => customerDb.end());
    await customerDb.query(
      `INSERT INTO subscriber (id, msisdn, display_name, province_code, city, plan_code, status, language_code,
         time_zone)
       VALUES ($1, $2, '测试', 'GD', '深圳', 'PLAN_5G_59', 'ACTIVE', 'en', 'Asia/Shanghai')`,
      [subscriberId, msisdn],
    );

    const client = createServiceClient(CustomerServiceClient, {
      address: customer.address,
      caller: "web-hall",
      credential: developmentCallerKey("web-hall"),
    });
    onTestFinished(() => client.close());
    await client.startLogin({ requestId: randomUUID(), msisdn, channel: Channel.CHANNEL_WEB_HALL });

    // The phone gets it …
    const [sms] = await waitFor("the SMS", () => {
      const sent = smsc.submits.filter((submit) => submit.destinationAddr === msisdn);
      return sent.length > 0 && sent;
    });
    const code = /login code is (\d{6})\./.exec(sms!.text)?.[1];
    expect(code, sms!.text).toMatch(/^\d{6}$/);
    // … and, once it is sent, nothing kept on the way holds it.
    const [message] = await waitFor("the message to be recorded sent", async () => {
      const rows = await db.message.findMany({ where: { msisdn } });
      return rows.length === 1 && rows[0]!.status !== "QUEUED" && rows;
    });
    expect(message!.text).toBe(
      "[Omnihall] Your login code is ******. It expires in 5 minutes. Never share it with anyone.",
    );
    expect(message!.sealedText).toBeNull();
    const notifyRows = await rowsAsText(
      config.DATABASE_URL,
      "SELECT m.*, p.* FROM message m LEFT JOIN message_part p ON p.message_id = m.id WHERE m.msisdn = $1",
      [msisdn],
    );
    expect(notifyRows).toContain(msisdn);
    expect(notifyRows).not.toContain(code);

    const outbox = await rowsAsText(customerDatabaseUrl, "SELECT * FROM outbox_message", []);
    expect(outbox).toContain("customer.login_code.issued");
    expect(outbox).not.toContain(code);
    const { rows } = await customerDb.query<{ id: string; payload: Buffer }>(
      "SELECT id, payload FROM outbox_message WHERE subject = 'customer.login_code.issued'",
    );
    const ours = rows.find((row) => LoginCodeIssuedEvent.decode(row.payload).msisdn === msisdn)!;
    const published = await streamMessage(ours.id);
    expect(LoginCodeIssuedEvent.decode(published)).toMatchObject({ msisdn, code: "" });
    expect(Buffer.from(published).toString("latin1")).not.toContain(code);
  });
});
