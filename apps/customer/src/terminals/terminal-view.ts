import {
  DeviceKind,
  DeviceState,
  TerminalHealth,
  TerminalKind,
  deviceKindFromJSON,
  deviceKindToJSON,
  deviceStateFromJSON,
  deviceStateToJSON,
  terminalKindFromJSON,
  terminalKindToJSON,
  type DeviceHealth,
  type Terminal,
} from "@omnihall/proto/omnihall/customer/v1/terminal";
import type { Terminal as TerminalRecord } from "../generated/prisma/client.js";

/** How a device report is stored: the contract's enum names, so a renumbering never changes stored meaning. */
export interface StoredDevice {
  device: string;
  state: string;
  detail: string;
}

/** States in which the device still does its job. */
const WORKING = new Set([DeviceState.DEVICE_STATE_OK, DeviceState.DEVICE_STATE_WARNING]);

export const isWorking = (state: DeviceState) => WORKING.has(state);

export function storedDevices(devices: DeviceHealth[]): StoredDevice[] {
  return devices.map((d) => ({
    device: deviceKindToJSON(d.device),
    state: deviceStateToJSON(d.state),
    detail: d.detail,
  }));
}

function devicesOf(record: TerminalRecord): DeviceHealth[] {
  return (record.devices as unknown as StoredDevice[]).map((d) => ({
    device: deviceKindFromJSON(d.device),
    state: deviceStateFromJSON(d.state),
    detail: d.detail,
  }));
}

const KIND_PREFIX = "TERMINAL_KIND_";
/** Stored as KIOSK / HANDHELD (the mini hall's handheld check reads the column too). */
export const storedKind = (kind: TerminalKind) => terminalKindToJSON(kind).slice(KIND_PREFIX.length);
export const kindOf = (stored: string) => terminalKindFromJSON(KIND_PREFIX + stored);

/** Health is computed when read: silence is a matter of the clock, not of anything the terminal wrote. */
export function healthOf(record: TerminalRecord, now: Date, silentAfterMs: number): TerminalHealth {
  if (!record.lastHeartbeatAt) return TerminalHealth.TERMINAL_HEALTH_UNKNOWN;
  if (now.getTime() - record.lastHeartbeatAt.getTime() > silentAfterMs) return TerminalHealth.TERMINAL_HEALTH_SILENT;
  return record.faulty ? TerminalHealth.TERMINAL_HEALTH_DEGRADED : TerminalHealth.TERMINAL_HEALTH_HEALTHY;
}

export function terminalView(record: TerminalRecord, now: Date, silentAfterMs: number): Terminal {
  return {
    terminalId: record.id,
    kind: kindOf(record.kind),
    shopId: record.shopId,
    provinceCode: record.provinceCode,
    city: record.city,
    location: record.location,
    softwareVersion: record.softwareVersion,
    health: healthOf(record, now, silentAfterMs),
    devices: devicesOf(record),
    lastHeartbeatTime: record.lastHeartbeatAt ?? undefined,
    createTime: record.createdAt,
    updateTime: record.updatedAt,
  };
}

export const UNSPECIFIED_DEVICE = DeviceKind.DEVICE_KIND_UNSPECIFIED;
