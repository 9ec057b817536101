import smpp from "smpp";
import { afterEach, describe, expect, it } from "vitest";
import { waitFor } from "@omnihall/testkit";
import { SMPP_STATUS } from "../smpp/status.js";
import { FakeSmsc } from "./fake-smsc.js";

const credentials = { systemId: "esme", password: "secret1" };
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A raw transceiver bind (the smpp library's client side), as an ESME opens one. */
async function bind(smsc: FakeSmsc): Promise<smpp.Session> {
  const session = smpp.connect({ host: "127.0.0.1", port: smsc.port });
  session.on("error", () => undefined); // destroyed on purpose below
  cleanup.push(() => session.destroy());
  await new Promise((resolve) => session.on("connect", resolve));
  const response = await request(
    session,
    new smpp.PDU("bind_transceiver", { system_id: credentials.systemId, password: credentials.password }),
  );
  expect(response.command_status).toBe(SMPP_STATUS.ESME_ROK);
  return session;
}

const request = (session: smpp.Session, pdu: smpp.PDU) =>
  new Promise<smpp.PDU>((resolve) => session.send(pdu, resolve));

describe("FakeSmsc's automatic receipts", () => {
  it("echo user_message_reference and go to another bind when the one offered one died without answering", async () => {
    const smsc = await FakeSmsc.start(credentials, { autoReceipts: { afterMs: 0, retryMs: 100 } });
    cleanup.push(() => smsc.close());
    const dying = await bind(smsc);
    const offeredToDying: smpp.PDU[] = [];
    dying.on("deliver_sm", (pdu: smpp.PDU) => {
      offeredToDying.push(pdu);
      dying.destroy();
    });
    const survivor = await bind(smsc);
    const receipts: smpp.PDU[] = [];
    survivor.on("deliver_sm", (pdu: smpp.PDU) => {
      receipts.push(pdu);
      survivor.send(pdu.response());
    });

    const submit = (fields: Partial<smpp.PduFields>) =>
      request(dying, new smpp.PDU("submit_sm", { source_addr: "10086", destination_addr: "13800138000", ...fields }));
    const unreceipted = await submit({ short_message: "no receipt asked", registered_delivery: 0 });
    const receipted = await submit({ short_message: "hello", registered_delivery: 1, user_message_reference: 4242 });
    expect([unreceipted.command_status, receipted.command_status]).toEqual([
      SMPP_STATUS.ESME_ROK,
      SMPP_STATUS.ESME_ROK,
    ]);

    await waitFor("the receipt taken by the surviving bind", () => smsc.receiptsTaken === 1);
    expect(offeredToDying).toHaveLength(1);
    expect(receipts).toHaveLength(1);
    const [receipt] = receipts as [smpp.PDU];
    expect(receipt).toMatchObject({ source_addr: "13800138000", destination_addr: "10086", esm_class: 0x04 });
    expect(receipt.user_message_reference).toBe(4242);
    expect(String((receipt.short_message as { message: string }).message)).toContain(
      `id:${receipted.message_id} sub:001 dlvrd:001`,
    );
    expect(smsc.submits.map((received) => received.userMessageReference)).toEqual([undefined, 4242]);
  });
});
