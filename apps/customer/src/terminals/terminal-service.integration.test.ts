import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import {
  DeviceKind,
  DeviceState,
  IdDocumentKind,
  TerminalHealth,
  TerminalKind,
  TerminalServiceClient,
} from "@omnihall/proto/omnihall/customer/v1/terminal";
import type { ActingParty, KnownCaller } from "@omnihall/service-kit";
import { onTestFinished, describe, expect, it } from "vitest";
import { callFailure } from "@omnihall/channel-client/testing";
import { startCustomerHarness, type CustomerHarness } from "../testing/customer-harness.js";
import { documentHash, documentKeyOf, demoIdDocumentNumber, normalizeResidentId } from "./id-documents.js";
import { loadCustomerConfig } from "../config.js";

function terminalClient(harness: CustomerHarness, caller: KnownCaller) {
  const client = createServiceClient(TerminalServiceClient, {
    address: harness.address,
    caller,
    credential: developmentCallerKey(caller),
  });
  onTestFinished(() => client.close());
  return client;
}

const kioskParty = (deviceId: string, shopId = "shop-gz-1", provinceCode = "GD"): ActingParty => ({
  kind: "device",
  deviceId,
  shopId,
  provinceCode,
});
const operator = (provinceScope: string): ActingParty => ({
  kind: "operator",
  operatorId: "op_1",
  roles: ["viewer"],
  provinceScope,
});

const kioskRegistration = (terminalId: string, requestId = `reg-${terminalId}`) => ({
  requestId,
  terminalId,
  kind: TerminalKind.TERMINAL_KIND_KIOSK,
  shopId: "shop-gz-1",
  provinceCode: "GD",
  city: "广州",
  location: "天河城 1F",
  softwareVersion: "1.0.0",
});

const allOk = [
  { device: DeviceKind.DEVICE_KIND_PRINTER, state: DeviceState.DEVICE_STATE_OK, detail: "" },
  { device: DeviceKind.DEVICE_KIND_CASH_ACCEPTOR, state: DeviceState.DEVICE_STATE_OK, detail: "" },
];

describe("TerminalService", () => {
  it("registers a kiosk for itself, takes its heartbeats and shows a fault, then silence, to its province's operators", async () => {
    const harness = await startCustomerHarness();
    const kiosk = terminalClient(harness, "kiosk");
    const ops = terminalClient(harness, "ops-console");
    const party = kioskParty("kiosk-gz-01");

    const registered = await kiosk.registerTerminal(kioskRegistration("kiosk-gz-01"), { party });
    expect(registered.terminal).toMatchObject({
      terminalId: "kiosk-gz-01",
      health: TerminalHealth.TERMINAL_HEALTH_UNKNOWN,
    });
    // Registering again on the next start changes nothing but the values it names.
    await kiosk.registerTerminal(kioskRegistration("kiosk-gz-01", "reg-2"), { party });

    const healthy = await kiosk.reportTerminalHealth(
      { requestId: "hb-1", terminalId: "kiosk-gz-01", devices: allOk, softwareVersion: "1.0.1", reportTime: undefined },
      { party },
    );
    expect(healthy.terminal?.health).toBe(TerminalHealth.TERMINAL_HEALTH_HEALTHY);

    harness.clock.advance(1_000);
    const faulty = await kiosk.reportTerminalHealth(
      {
        requestId: "hb-2",
        terminalId: "kiosk-gz-01",
        devices: [allOk[0]!, { ...allOk[1]!, state: DeviceState.DEVICE_STATE_CASH_BOX_FULL, detail: "1000 notes" }],
        softwareVersion: "",
        reportTime: undefined,
      },
      { party },
    );
    expect(faulty.terminal?.health).toBe(TerminalHealth.TERMINAL_HEALTH_DEGRADED);
    expect(faulty.terminal?.softwareVersion).toBe("1.0.1");

    // A late report from before the fault does not overwrite it.
    const late = await kiosk.reportTerminalHealth(
      {
        requestId: "hb-0",
        terminalId: "kiosk-gz-01",
        devices: allOk,
        reportTime: new Date(harness.clock.now().getTime() - 5_000),
        softwareVersion: "",
      },
      { party },
    );
    expect(late.terminal?.health).toBe(TerminalHealth.TERMINAL_HEALTH_DEGRADED);

    // Another kiosk in the same shop cannot report for it.
    const other = await callFailure(
      kiosk.reportTerminalHealth(
        { requestId: "x", terminalId: "kiosk-gz-01", devices: allOk, softwareVersion: "", reportTime: undefined },
        { party: kioskParty("kiosk-gz-02") },
      ),
    );
    expect(other.reason).toBe("OUTSIDE_PARTY_SCOPE");

    const unhealthy = await ops.listTerminals(
      { pageSize: 10, pageToken: "", provinceCode: "", city: "", kind: 0, unhealthyOnly: true },
      { party: operator("GD") },
    );
    expect(unhealthy.terminals.map((t) => t.terminalId)).toEqual(["kiosk-gz-01"]);
    const elsewhere = await callFailure(ops.getTerminal({ terminalId: "kiosk-gz-01" }, { party: operator("BJ") }));
    expect(elsewhere.reason).toBe("OUTSIDE_PARTY_SCOPE");
    const bjList = await ops.listTerminals(
      { pageSize: 10, pageToken: "", provinceCode: "", city: "", kind: 0, unhealthyOnly: false },
      { party: operator("BJ") },
    );
    expect(bjList.terminals).toEqual([]);

    // Fixed, then silent: no heartbeat for longer than the threshold.
    await kiosk.reportTerminalHealth(
      { requestId: "hb-3", terminalId: "kiosk-gz-01", devices: allOk, softwareVersion: "", reportTime: undefined },
      { party },
    );
    const fixed = await ops.listTerminals(
      { pageSize: 10, pageToken: "", provinceCode: "GD", city: "", kind: 0, unhealthyOnly: true },
      { party: operator("*") },
    );
    expect(fixed.terminals).toEqual([]);
    harness.clock.advance(91_000);
    const silent = await ops.getTerminal({ terminalId: "kiosk-gz-01" }, { party: operator("GD") });
    expect(silent.terminal?.health).toBe(TerminalHealth.TERMINAL_HEALTH_SILENT);
    const silentList = await ops.listTerminals(
      { pageSize: 10, pageToken: "", provinceCode: "GD", city: "", kind: 0, unhealthyOnly: true },
      { party: operator("*") },
    );
    expect(silentList.terminals.map((t) => t.terminalId)).toEqual(["kiosk-gz-01"]);
  });

  it("refuses a kiosk registering another shop's terminal, or a handheld's kind for a kiosk id", async () => {
    const harness = await startCustomerHarness();
    const kiosk = terminalClient(harness, "kiosk");
    const platform = terminalClient(harness, "platform");
    const notMine = await callFailure(
      kiosk.registerTerminal(
        { ...kioskRegistration("kiosk-gz-01"), shopId: "shop-other" },
        { party: kioskParty("kiosk-gz-01") },
      ),
    );
    expect(notMine.reason).toBe("OUTSIDE_PARTY_SCOPE");
    await platform.registerTerminal(kioskRegistration("kiosk-gz-01"));
    const changed = await callFailure(
      platform.registerTerminal({ ...kioskRegistration("kiosk-gz-01"), kind: TerminalKind.TERMINAL_KIND_HANDHELD }),
    );
    expect(changed.reason).toBe("TERMINAL_KIND_CHANGED");
    const malformed = await callFailure(platform.registerTerminal({ ...kioskRegistration("x"), provinceCode: "GD" }));
    expect(malformed.reason).toBe("TERMINAL_ID_MALFORMED");
    const unknown = await callFailure(
      kiosk.reportTerminalHealth(
        { requestId: "r", terminalId: "kiosk-none", devices: allOk, softwareVersion: "", reportTime: undefined },
        { party: kioskParty("kiosk-none") },
      ),
    );
    expect(unknown.reason).toBe("TERMINAL_NOT_FOUND");
  });

  it("pages through terminals in id order", async () => {
    const harness = await startCustomerHarness();
    const platform = terminalClient(harness, "platform");
    for (const n of [1, 2, 3, 4, 5]) await platform.registerTerminal(kioskRegistration(`kiosk-gz-0${n}`));
    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await platform.listTerminals({
        pageSize: 2,
        pageToken,
        provinceCode: "GD",
        city: "",
        kind: TerminalKind.TERMINAL_KIND_KIOSK,
        unhealthyOnly: false,
      });
      seen.push(...page.terminals.map((t) => t.terminalId));
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(seen).toEqual(["kiosk-gz-01", "kiosk-gz-02", "kiosk-gz-03", "kiosk-gz-04", "kiosk-gz-05"]);
  });

  it("finds the numbers of an ID card for a kiosk device only, masked, closed numbers left out", async () => {
    const harness = await startCustomerHarness();
    const kiosk = terminalClient(harness, "kiosk");
    const key = documentKeyOf(loadCustomerConfig({ NODE_ENV: "test" }).LOGIN_CODE_SECRET);
    const card = demoIdDocumentNumber(7);
    expect(normalizeResidentId(card)).toBe(card);
    const first = await harness.addSubscriber();
    const second = await harness.addSubscriber();
    const closed = await harness.addSubscriber({ status: "TERMINATED" });
    await harness.db.subscriberIdDocument.createMany({
      data: [first, second, closed].map((s) => ({ documentHash: documentHash(key, card), subscriberId: s.id })),
    });
    const party = kioskParty("kiosk-gz-01");
    const found = await kiosk.findSubscribersByIdDocument(
      { kind: IdDocumentKind.ID_DOCUMENT_KIND_RESIDENT_ID_CARD, number: card.toLowerCase() },
      { party },
    );
    expect(found.subscribers.map((s) => s.subscriberId).sort()).toEqual([first.id, second.id].sort());
    expect(found.subscribers[0]?.maskedMsisdn).toMatch(/^\d{3}\*{4}\d{4}$/);

    const none = await kiosk.findSubscribersByIdDocument(
      { kind: IdDocumentKind.ID_DOCUMENT_KIND_RESIDENT_ID_CARD, number: demoIdDocumentNumber(8) },
      { party },
    );
    expect(none.subscribers).toEqual([]);
    const misread = await callFailure(
      kiosk.findSubscribersByIdDocument(
        {
          kind: IdDocumentKind.ID_DOCUMENT_KIND_RESIDENT_ID_CARD,
          number: card.slice(0, 17) + (card[17] === "1" ? "2" : "1"),
        },
        { party },
      ),
    );
    expect(misread.reason).toBe("ID_DOCUMENT_MALFORMED");
    const asSubscriber = await callFailure(
      kiosk.findSubscribersByIdDocument(
        { kind: IdDocumentKind.ID_DOCUMENT_KIND_RESIDENT_ID_CARD, number: card },
        { party: { kind: "subscriber", subscriberId: first.id, msisdn: first.msisdn } },
      ),
    );
    expect(asSubscriber.reason).toBe("OUTSIDE_PARTY_SCOPE");
  });
});
