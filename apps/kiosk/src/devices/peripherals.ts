import type { DeviceStates } from "./protocol.js";

/** A note the acceptor stacked, numbered from 1 in each enabled period (one cash session). */
export interface AcceptedNote {
  sequence: number;
  denominationFen: number;
}

/** An ID card the reader read. */
export interface IdCardRead {
  number: string;
  name: string;
}

/** The note acceptor: takes notes only while enabled (the kiosk enables it for one cash session at a time). */
export interface CashAcceptor {
  enable(): Promise<void>;
  disable(): Promise<void>;
  onNote(listener: (note: AcceptedNote) => void): () => void;
}

export interface IdCardReader {
  onCard(listener: (card: IdCardRead) => void): () => void;
}

/** The receipt printer: takes ESC/POS bytes; fails (PAPER_OUT, OFFLINE) without printing part of it. */
export interface ReceiptPrinter {
  print(escPos: Uint8Array): Promise<void>;
}

/** Everything the kiosk hall needs from its hardware; the board's protocol stays behind this. */
export interface Peripherals {
  cash: CashAcceptor;
  idCards: IdCardReader;
  printer: ReceiptPrinter;
  /** The devices' states as last known (all OFFLINE while the board does not answer). */
  states(): DeviceStates;
  onStates(listener: (states: DeviceStates) => void): () => void;
  close(): Promise<void>;
}

/** A device refused a command: its state says why (PAPER_OUT, CASH_BOX_FULL, OFFLINE…). */
export class DeviceError extends Error {
  constructor(
    readonly device: keyof DeviceStates,
    readonly reason: string,
  ) {
    super(`${device}: ${reason}`);
  }
}
