import { randomUUID } from "node:crypto";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { demoIdDocumentNumber } from "@omnihall/customer";
import { demoSubscribers } from "@omnihall/demo-data";
import { BillingServiceClient } from "@omnihall/proto/omnihall/billing/v1/billing";
import {
  DeviceKind,
  DeviceState,
  TerminalHealth,
  TerminalServiceClient,
} from "@omnihall/proto/omnihall/customer/v1/terminal";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { ESC_POS } from "./devices/escpos.js";
import { kioskUnderTest } from "./testing/kiosk-under-test.js";
import { readFileSync } from "node:fs";

/** Conditions, never fixed sleeps: retried every 50 ms for up to 10 s. */
const waitFor = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 10_000, interval: 50 });

const [FIRST] = demoSubscribers(1);

async function api(
  url: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; key?: string } = {},
) {
  const response = await fetch(url + path, {
    method,
    headers: {
      ...(options.body !== undefined && { "content-type": "application/json" }),
      ...(options.token && { authorization: `Bearer ${options.token}` }),
      ...(options.key && { "idempotency-key": options.key }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers of every shape
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, any> };
}

describe("kiosk hall", () => {
  it("registers itself, beats, and reports a full cash box: the registry shows it degraded and the screen stops offering cash", async () => {
    const k = await kioskUnderTest({ KIOSK_HEARTBEAT_SECONDS: "60" });
    const registry = createServiceClient(TerminalServiceClient, {
      address: k.customerAddress,
      caller: "platform",
      credential: developmentCallerKey("platform"),
    });
    onTestFinished(() => registry.close());
    const healthy = await waitFor(async () => {
      const { terminal } = await registry.getTerminal({ terminalId: k.config.KIOSK_TERMINAL_ID });
      expect(terminal?.health).toBe(TerminalHealth.TERMINAL_HEALTH_HEALTHY);
      return terminal!;
    });
    expect(healthy).toMatchObject({ shopId: k.config.KIOSK_SHOP_ID, provinceCode: "GD" });
    expect((await api(k.url, "GET", "/v1/kiosk")).body.functions).toEqual({
      cashTopUp: true,
      receipts: true,
      idCardLogin: true,
    });

    await k.control("PUT", "/devices", { cashAcceptor: "CASH_BOX_FULL" });
    // A device change is reported at once, not at the next (60 s) beat.
    const degraded = await waitFor(async () => {
      const { terminal } = await registry.getTerminal({ terminalId: k.config.KIOSK_TERMINAL_ID });
      expect(terminal?.health).toBe(TerminalHealth.TERMINAL_HEALTH_DEGRADED);
      return terminal!;
    });
    expect(degraded.devices.find((d) => d.device === DeviceKind.DEVICE_KIND_CASH_ACCEPTOR)?.state).toBe(
      DeviceState.DEVICE_STATE_CASH_BOX_FULL,
    );
    expect((await api(k.url, "GET", "/v1/kiosk")).body.functions).toEqual({
      cashTopUp: false,
      receipts: true,
      idCardLogin: true,
    });

    // A subscriber who tries anyway is refused before any payment exists.
    const token = await smsLogin(k, FIRST!.msisdn);
    const refused = await api(k.url, "POST", "/v1/me/cash-session", { token, key: randomUUID() });
    expect([refused.status, refused.body.error.reason]).toEqual([503, "DEVICE_UNAVAILABLE"]);
  });

  it("treats a lost device board as every device offline: nothing that needs one is offered", async () => {
    const k = await kioskUnderTest();
    await waitFor(async () => expect((await api(k.url, "GET", "/v1/kiosk")).body.functions.cashTopUp).toBe(true));
    await k.devices.stop();
    const status = await waitFor(async () => {
      const answer = (await api(k.url, "GET", "/v1/kiosk")).body;
      expect(answer.functions).toEqual({ cashTopUp: false, receipts: false, idCardLogin: false });
      return answer;
    });
    expect(status.devices).toEqual({ printer: "OFFLINE", cashAcceptor: "OFFLINE", idCardReader: "OFFLINE" });
  });

  it("takes cash note by note, credits the total once on close and prints an ESC/POS receipt", async () => {
    const k = await kioskUnderTest();
    const token = await smsLogin(k, FIRST!.msisdn);
    const before = (await api(k.url, "GET", "/v1/me/balance", { token })).body.balanceFen as number;

    const opened = await api(k.url, "POST", "/v1/me/cash-session", { token, key: randomUUID() });
    expect(opened.status).toBe(201);
    // Notes only while a session is open: the simulator refuses them otherwise.
    for (const denominationFen of [10000, 5000, 2000]) {
      expect((await k.control("POST", "/cash/notes", { denominationFen })).status).toBe(200);
    }
    await waitFor(async () => {
      const session = await api(k.url, "GET", "/v1/me/cash-session", { token });
      expect(session.body).toMatchObject({ countedFen: 17000, notes: 3, counting: false });
    });
    // Nothing is credited until the subscriber finishes.
    expect((await api(k.url, "GET", "/v1/me/balance", { token })).body.balanceFen).toBe(before);

    const closed = await api(k.url, "POST", "/v1/me/cash-session/close", { token, body: undefined });
    expect(closed.body).toMatchObject({ status: "SUCCEEDED", creditedFen: 17000, notes: 3, receipt: "PRINTED" });
    expect((await api(k.url, "GET", "/v1/me/balance", { token })).body.balanceFen).toBe(before + 17000);
    // The acceptor is off again: a late note is refused, not swallowed.
    expect((await k.control("POST", "/cash/notes", { denominationFen: 100 })).status).toBe(409);
    const again = await api(k.url, "POST", "/v1/me/cash-session/close", { token });
    expect(again.status).toBe(404);
    expect((await api(k.url, "GET", "/v1/me/balance", { token })).body.balanceFen).toBe(before + 17000);

    const bytes = readFileSync(k.printerFile);
    expect([...bytes.subarray(0, 2)]).toEqual([...ESC_POS.init]);
    expect([...bytes.subarray(bytes.length - 3)]).toEqual([0x1d, 0x56, 0x00]); // GS V 0: cut
    const text = k.printedText();
    expect(text).toContain("到账 Credited: ¥170.00");
    expect(text).toContain(closed.body.paymentId);
    expect(text).toContain(`${FIRST!.msisdn.slice(0, 3)}****${FIRST!.msisdn.slice(-4)}`);
    expect(text).not.toContain(FIRST!.msisdn);
  });

  it("credits cash even when the printer is out of paper, and says the receipt was not printed", async () => {
    const k = await kioskUnderTest();
    const token = await smsLogin(k, FIRST!.msisdn);
    await k.control("PUT", "/devices", { printer: "PAPER_OUT" });
    await waitFor(async () => expect((await api(k.url, "GET", "/v1/kiosk")).body.functions.receipts).toBe(false));
    expect((await api(k.url, "POST", "/v1/me/cash-session", { token, key: randomUUID() })).status).toBe(201);
    await k.control("POST", "/cash/notes", { denominationFen: 5000 });
    await waitFor(async () =>
      expect((await api(k.url, "GET", "/v1/me/cash-session", { token })).body.countedFen).toBe(5000),
    );
    const closed = await api(k.url, "POST", "/v1/me/cash-session/close", { token });
    expect(closed.body).toMatchObject({ status: "SUCCEEDED", creditedFen: 5000, receipt: "PAPER_OUT" });
    expect(k.printedText()).toBe("");
  });

  it("credits the notes already taken when the subscriber logs out in the middle of a cash top-up", async () => {
    const k = await kioskUnderTest();
    const token = await smsLogin(k, FIRST!.msisdn);
    const before = (await api(k.url, "GET", "/v1/me/balance", { token })).body.balanceFen as number;
    await api(k.url, "POST", "/v1/me/cash-session", { token, key: randomUUID() });
    await k.control("POST", "/cash/notes", { denominationFen: 1000 });
    await waitFor(async () =>
      expect((await api(k.url, "GET", "/v1/me/cash-session", { token })).body.countedFen).toBe(1000),
    );
    expect((await api(k.url, "DELETE", "/v1/sessions/current/", { token })).status).toBe(204);
    const billing = createServiceClient(BillingServiceClient, {
      address: k.billingAddress,
      // Balances are read by halls for their party and by domain services; the order saga reads any.
      caller: "orders",
      credential: developmentCallerKey("orders"),
    });
    onTestFinished(() => billing.close());
    const after = await billing.getBalance({ subscriberId: FIRST!.subscriberId });
    expect(Number(after.balanceFen)).toBe(before + 1000);
    expect((await k.control("POST", "/cash/notes", { denominationFen: 100 })).status).toBe(409);
  });

  it("closes and credits a cash session a restart left open, as soon as the kiosk is back", async () => {
    const k = await kioskUnderTest();
    const token = await smsLogin(k, FIRST!.msisdn);
    const before = (await api(k.url, "GET", "/v1/me/balance", { token })).body.balanceFen as number;
    await api(k.url, "POST", "/v1/me/cash-session", { token, key: randomUUID() });
    await k.control("POST", "/cash/notes", { denominationFen: 2000 });
    await waitFor(async () =>
      expect((await api(k.url, "GET", "/v1/me/cash-session", { token })).body.countedFen).toBe(2000),
    );
    await k.restart();
    // The token outlives the restart (same secret): the balance shows the credit without anyone finishing.
    expect((await api(k.url, "GET", "/v1/me/balance", { token })).body.balanceFen).toBe(before + 2000);
    expect((await api(k.url, "GET", "/v1/me/cash-session", { token })).status).toBe(404);
  });

  it("identifies by ID card: the card's numbers masked, then a code to the chosen one", async () => {
    const k = await kioskUnderTest();
    expect((await api(k.url, "GET", "/v1/id-card")).body).toEqual({ present: false });
    await k.control("POST", "/id-card", { number: demoIdDocumentNumber(0), name: "测试" });
    const card = await waitFor(async () => {
      const answer = await api(k.url, "GET", "/v1/id-card");
      expect(answer.body.present).toBe(true);
      return answer.body;
    });
    expect(card.numbers).toEqual([
      { choice: 0, maskedMsisdn: `${FIRST!.msisdn.slice(0, 3)}****${FIRST!.msisdn.slice(-4)}` },
    ]);
    expect(JSON.stringify(card)).not.toContain(FIRST!.msisdn);

    const sent = await api(k.url, "POST", "/v1/id-card/codes", { body: { readId: card.readId, choice: 0 } });
    expect(sent.status).toBe(202);
    const wrong = await api(k.url, "POST", "/v1/id-card/sessions", {
      body: { readId: card.readId, choice: 0, code: "000000", transport: "bearer" },
    });
    expect(wrong.status).toBe(401);
    const code = await waitFor(() => k.lastCodeFor(FIRST!.msisdn) ?? Promise.reject(new Error("no code yet")));
    const session = await api(k.url, "POST", "/v1/id-card/sessions", {
      body: { readId: card.readId, choice: 0, code, transport: "bearer" },
    });
    expect(session.status).toBe(201);
    const me = await api(k.url, "GET", "/v1/me", { token: session.body.token });
    expect(me.body.subscriberId).toBe(FIRST!.subscriberId);
    // The card is used up: the next person starts again.
    expect((await api(k.url, "GET", "/v1/id-card")).body).toEqual({ present: false });
  });
});

async function smsLogin(k: Awaited<ReturnType<typeof kioskUnderTest>>, msisdn: string): Promise<string> {
  const sent = await api(k.url, "POST", "/v1/login/codes", { body: { msisdn } });
  if (sent.status !== 202) throw new Error(JSON.stringify(sent.body));
  const code = await waitFor(() => k.lastCodeFor(msisdn) ?? Promise.reject(new Error("no code yet")));
  const session = await api(k.url, "POST", "/v1/sessions", { body: { msisdn, code, transport: "bearer" } });
  if (session.status !== 201) throw new Error(JSON.stringify(session.body));
  return session.body.token as string;
}
