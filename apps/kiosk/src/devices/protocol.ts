/**
 * KDP/1, the line protocol between the kiosk hall and its peripherals' controller (the board that drives the
 * note acceptor, the ID card reader and the receipt printer — or, in development and tests, the simulator in
 * simulator.ts). One JSON object per line over TCP, UTF-8, like the serial protocols such boards speak:
 *
 *   kiosk → devices   { "id": 7, "cmd": "status" | "cash.enable" | "cash.disable" | "print", "data"?: base64 }
 *   devices → kiosk   { "id": 7, "ok": true, ... }  or  { "id": 7, "ok": false, "error": "PAPER_OUT" }
 *   devices → kiosk   { "event": "cash.note", "sequence": 1, "denominationFen": 10000 }   (note stacked)
 *                     { "event": "idcard", "number": "44010619900101123X", "name": "张三" } (card placed)
 *                     { "event": "status", "devices": DeviceStates }                        (a state changed)
 */
export type PrinterState = "OK" | "PAPER_OUT" | "OFFLINE";
export type CashAcceptorState = "OK" | "CASH_BOX_FULL" | "OFFLINE";
export type IdCardReaderState = "OK" | "OFFLINE";

export interface DeviceStates {
  printer: PrinterState;
  cashAcceptor: CashAcceptorState;
  idCardReader: IdCardReaderState;
}

export type Command = "status" | "cash.enable" | "cash.disable" | "print";

export interface Request {
  id: number;
  cmd: Command;
  data?: string;
}

export interface Reply {
  id: number;
  ok: boolean;
  error?: string;
  devices?: DeviceStates;
}

export type DeviceEvent =
  | { event: "cash.note"; sequence: number; denominationFen: number }
  | { event: "idcard"; number: string; name: string }
  | { event: "status"; devices: DeviceStates };

/** Splits a byte stream into lines and parses each as JSON; a malformed line is reported, not fatal. */
export function lineReader(onMessage: (message: unknown) => void, onMalformed: (line: string) => void) {
  let buffered = "";
  return (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    let newline: number;
    while ((newline = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line === "") continue;
      try {
        onMessage(JSON.parse(line));
      } catch {
        onMalformed(line);
      }
    }
  };
}
