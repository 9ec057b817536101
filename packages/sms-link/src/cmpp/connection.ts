import type { Socket } from "node:net";
import { CMPP, encode, PduFramer, type CmppHeader } from "./pdu.js";

/** A request the peer sent us; answer with `respond` (the body of the response PDU is the caller's). */
export interface IncomingRequest {
  header: CmppHeader;
  body: Buffer;
}

interface Pending {
  resolve(body: Buffer): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * One CMPP TCP connection, either side: frames PDUs, numbers requests (Sequence_Id), matches responses to them with
 * a timeout, and hands the peer's requests to `onRequest`. Closing (or a broken stream) fails everything waiting.
 */
export class CmppConnection {
  private readonly framer = new PduFramer();
  private readonly pending = new Map<number, Pending>();
  private nextSequence = 1;
  private closed = false;

  constructor(
    readonly socket: Socket,
    private readonly options: {
      responseTimeoutMs: number;
      onRequest(request: IncomingRequest): void;
      onClose(error: Error): void;
    },
  ) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("error", (error) => this.close(error));
    socket.on("close", () => this.close(new Error("connection closed")));
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** Sends a request and resolves with the body of its response. */
  request(commandId: number, encode: (header: CmppHeader) => Buffer): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error("connection closed"));
    const sequenceId = this.nextSequence;
    this.nextSequence = (this.nextSequence % 0x7fffffff) + 1;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(sequenceId);
        reject(new Error(`no response to command 0x${commandId.toString(16)} in ${this.options.responseTimeoutMs} ms`));
      }, this.options.responseTimeoutMs);
      this.pending.set(sequenceId, { resolve, reject, timer });
      this.socket.write(encode({ commandId, sequenceId }));
    });
  }

  /** Answers a request of the peer with the same Sequence_Id. */
  respond(request: IncomingRequest, encode: (header: CmppHeader) => Buffer): void {
    if (this.closed) return;
    this.socket.write(
      encode({ commandId: (request.header.commandId | 0x80000000) >>> 0, sequenceId: request.header.sequenceId }),
    );
  }

  close(error = new Error("connection closed")): void {
    if (this.closed) return;
    this.closed = true;
    for (const [, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.pending.clear();
    this.socket.destroy();
    this.options.onClose(error);
  }

  private onData(chunk: Buffer): void {
    let pdus;
    try {
      pdus = this.framer.push(chunk);
    } catch (error) {
      this.close(error as Error);
      return;
    }
    for (const { header, body } of pdus) {
      if (header.commandId & 0x80000000) {
        const pending = this.pending.get(header.sequenceId);
        if (!pending) continue; // late, after its timeout
        this.pending.delete(header.sequenceId);
        clearTimeout(pending.timer);
        pending.resolve(body);
      } else if (header.commandId === CMPP.TERMINATE) {
        this.respond({ header, body }, encode.empty);
        this.socket.end();
      } else {
        this.options.onRequest({ header, body });
      }
    }
  }
}
