import { demoSubscribers } from "@omnihall/demo-data";
import { describe, expect, it } from "vitest";
import { smsHallUnderTest } from "./testing/platform-under-test.js";

// Subscribers the hall answers in Chinese by default (their own language), with balances billing seeded.
const chinese = demoSubscribers(20).filter((s) => s.languageCode === "zh-CN");
// Alice can pay for the ¥30 pack she orders; the others only ask.
const alice = chinese.find((s) => s.balanceFen >= 5000n);
const [bob, carol, dave] = chinese.filter((s) => s !== alice);

const yuan = (fen: bigint) => `${fen / 100n}.${String(fen % 100n).padStart(2, "0")}`;
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const MENU = /CXYE查余额/;

// Six services on their own databases start for each test: generous on a shared machine.
const SLOW = { timeout: 180_000 };

describe("SMS hall over a real SMSC (SMPP), end to end through the domain services and notify", SLOW, () => {
  it("balance by command, full-width KT gets orders' confirmation, a plain Y confirms, 0000 then a number cancels", async () => {
    const sms = await smsHallUnderTest();
    const balance = new RegExp(`余额为${escaped(yuan(alice!.balanceFen))}元`);
    await sms.text(alice!.msisdn, "cxye", balance);

    // Full-width and stray spaces: still KT10GB. Orders texts product, price, validity and the code itself.
    const confirmation = await sms.text(alice!.msisdn, "  ＫＴ １０ＧＢ ", /回复 Y \d{6}/);
    expect(confirmation).toContain("¥");
    const code = /Y (\d{6})/.exec(confirmation)![1]!;

    // Nothing is charged before Y: the balance is unchanged.
    await sms.text(alice!.msisdn, "余额还有多少", balance);

    // Her one pending order: "Y" from her phone is enough.
    const confirmed = sms.sentCount();
    await sms.text(alice!.msisdn, "y", /已确认订购/);
    // A repeated Y for the same order gets a clear answer, not a second order.
    await sms.text(alice!.msisdn, `Y${code}`, /已确认过/);
    await sms.text(alice!.msisdn, "Y", /没有待确认/);

    // Once orders completed it (notify texts her so), the product is on the 0000 list; its number cancels it.
    await sms.textTo(alice!.msisdn, /已成功开通/, confirmed, 30_000);
    expect(await sms.text(alice!.msisdn, "0000", /已订购|没有可退订/)).toMatch(/1\.[^；]*10GB/);
    await sms.text(alice!.msisdn, "1", /已退订/);
  });

  it("TD alone opts the number out of marketing; English text gets English answers", async () => {
    const sms = await smsHallUnderTest();
    await sms.text(bob!.msisdn, "TD", /退订营销短信/);
    await sms.text(bob!.msisdn, "what is my balance", /^\[Omnihall\] Your balance is ¥/);

    // The hall's metrics count what it just handled, and its calls to the services.
    const metrics = await (await fetch(sms.hall.metricsUrl)).text();
    const replied = /^omnihall_sms_hall_messages_total\{outcome="replied"\} (\d+)/m.exec(metrics);
    expect(Number(replied?.[1])).toBeGreaterThanOrEqual(2);
    expect(metrics).toMatch(/^grpc_client_handled_total\{[^}]*grpc_service="omnihall\.customer\.v1\.CustomerService"/m);
  });

  it("answers bad input helpfully: empty, 1,000 characters, binary, emoji, mixed script, unknown codes, Y with nothing pending", async () => {
    const sms = await smsHallUnderTest();
    await sms.text(carol!.msisdn, "", MENU);
    await sms.text(carol!.msisdn, "啊".repeat(1000), MENU);
    await sms.text(carol!.msisdn, "🙂🙂🙂", MENU);
    await sms.text(carol!.msisdn, "查余额 please", /余额为/);
    await sms.text(carol!.msisdn, "KTNOPE", /NOPE/);
    await sms.text(carol!.msisdn, "Y", /没有待确认/);
    await sms.text(carol!.msisdn, "Y 123456", /没有待确认/);
    await sms.text(carol!.msisdn, "7", /0000/);
    // Two orders pending: a plain Y asks which (by the code of its confirmation text).
    await sms.text(carol!.msisdn, "KT10GB", /回复 Y \d{6}/);
    await sms.text(carol!.msisdn, "KT10GB", /回复 Y \d{6}/);
    await sms.text(carol!.msisdn, "Y", /多笔待确认订单/);

    const before = sms.sentCount();
    await sms.gateway.deliverMo({ from: carol!.msisdn, to: sms.serviceNumber, binary: Buffer.from([0, 1, 2, 0xff]) });
    await sms.textTo(carol!.msisdn, /文字短信/, before);
  });

  it("reads a long UCS-2 text arriving in parts out of order as one", async () => {
    const sms = await smsHallUnderTest();
    const before = sms.sentCount();
    const long = `${"您好，".repeat(40)}我想查一下我的账户余额`;
    await sms.gateway.deliverMo({
      from: dave!.msisdn,
      to: sms.serviceNumber,
      text: long,
      reversed: true,
      reference: 9,
    });
    await sms.textTo(dave!.msisdn, new RegExp(escaped(yuan(dave!.balanceFen))), before);
  });
});

describe("SMS hall over a CMPP 3.0 gateway", SLOW, () => {
  it("takes MO by DELIVER and answers by SUBMIT through notify, long UCS-2 both ways", async () => {
    const sms = await smsHallUnderTest({ gateway: "cmpp" });
    const long = `${"请问一下，".repeat(30)}我这个月的账单是多少`;
    await sms.text(alice!.msisdn, long, /账单金额为|暂无账单/);
    // The menu is longer than one UCS-2 part: it goes out as several parts with a UDH, joined on the handset.
    await sms.text(alice!.msisdn, "ＨＥＬＰ", MENU);
  });
});
