import { randomUUID } from "node:crypto";
import type { ActingParty, Logger } from "@omnihall/service-kit";
import {
  DeviceKind,
  DeviceState,
  TerminalKind,
  type DeviceHealth,
} from "@omnihall/proto/omnihall/customer/v1/terminal";
import type { KioskClients } from "./clients.js";
import type { KioskConfig } from "./config.js";
import type { Peripherals } from "./devices/peripherals.js";
import type { DeviceStates } from "./devices/protocol.js";

export const SOFTWARE_VERSION = "kiosk-1.0.0";

/** The kiosk as acting party: the terminal itself, before (or without) anyone identifying at it. */
export function deviceParty(config: KioskConfig): ActingParty {
  return {
    kind: "device",
    deviceId: config.KIOSK_TERMINAL_ID,
    shopId: config.KIOSK_SHOP_ID,
    provinceCode: config.KIOSK_PROVINCE,
  };
}

const STATE: Record<string, DeviceState> = {
  OK: DeviceState.DEVICE_STATE_OK,
  PAPER_OUT: DeviceState.DEVICE_STATE_PAPER_OUT,
  CASH_BOX_FULL: DeviceState.DEVICE_STATE_CASH_BOX_FULL,
  OFFLINE: DeviceState.DEVICE_STATE_OFFLINE,
};

export function deviceHealthOf(states: DeviceStates): DeviceHealth[] {
  const health = (device: DeviceKind, state: string): DeviceHealth => ({
    device,
    state: STATE[state] ?? DeviceState.DEVICE_STATE_FAULT,
    detail: STATE[state] ? "" : state,
  });
  return [
    health(DeviceKind.DEVICE_KIND_PRINTER, states.printer),
    health(DeviceKind.DEVICE_KIND_CASH_ACCEPTOR, states.cashAcceptor),
    health(DeviceKind.DEVICE_KIND_ID_CARD_READER, states.idCardReader),
    { device: DeviceKind.DEVICE_KIND_SCREEN, state: DeviceState.DEVICE_STATE_OK, detail: "" },
  ];
}

/**
 * Keeps the terminal known to the registry: registers on start (retrying until the customer service answers),
 * then a heartbeat with the devices' health every KIOSK_HEARTBEAT_SECONDS and at once when a device changes.
 */
export function startTerminalReporting(options: {
  config: KioskConfig;
  clients: KioskClients;
  peripherals: Peripherals;
  logger: Logger;
}): { stop(): void } {
  const { config, clients, peripherals, logger } = options;
  const party = deviceParty(config);
  let registered = false;
  let stopped = false;

  async function register() {
    await clients.terminals.registerTerminal(
      {
        requestId: `register-${config.KIOSK_TERMINAL_ID}-${randomUUID()}`,
        terminalId: config.KIOSK_TERMINAL_ID,
        kind: TerminalKind.TERMINAL_KIND_KIOSK,
        shopId: config.KIOSK_SHOP_ID,
        provinceCode: config.KIOSK_PROVINCE,
        city: config.KIOSK_CITY,
        location: config.KIOSK_LOCATION,
        softwareVersion: SOFTWARE_VERSION,
      },
      { party },
    );
    registered = true;
  }

  async function beat() {
    if (stopped) return;
    try {
      if (!registered) await register();
      await clients.terminals.reportTerminalHealth(
        {
          requestId: `heartbeat-${randomUUID()}`,
          terminalId: config.KIOSK_TERMINAL_ID,
          devices: deviceHealthOf(peripherals.states()),
          reportTime: new Date(),
          softwareVersion: SOFTWARE_VERSION,
        },
        { party },
      );
    } catch (error) {
      // The registry being away must never stop the kiosk serving: the next beat tries again.
      logger.warn({ err: error }, "heartbeat not delivered");
    }
  }

  void beat();
  const timer = setInterval(() => void beat(), config.KIOSK_HEARTBEAT_SECONDS * 1000);
  const unsubscribe = peripherals.onStates(() => void beat());
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      unsubscribe();
    },
  };
}
