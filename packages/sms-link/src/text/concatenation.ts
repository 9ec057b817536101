import type { InboundMessage, InboundPart } from "./inbound.js";

export interface ConcatenationOptions {
  /** How long the first part waits for the others before what arrived is handed on. Default 30 s. */
  timeoutMs?: number;
  /** Most long messages waiting at once (a flood of first parts must not fill memory). Default 10 000. */
  maxPending?: number;
  /** Receives a long message that did not complete in time (or was pushed out by maxPending), with what arrived. */
  onIncomplete(message: InboundMessage): void;
}

interface Pending {
  parts: Array<InboundPart | undefined>;
  received: number;
  timer: NodeJS.Timeout;
}

/**
 * Joins the parts of concatenated messages (3GPP TS 23.040 §9.2.3.24.1). Parts are keyed by sender, recipient,
 * reference and total, arrive in any order, and a repeated part (a gateway redelivering) replaces the earlier copy.
 */
export class Concatenation {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly options: ConcatenationOptions) {}

  /** The whole message once this part completes it (or at once for a single part); undefined while waiting. */
  add(part: InboundPart): InboundMessage | undefined {
    if (!part.concat) return joined([part], 1);
    const { reference, total, sequence } = part.concat;
    const key = `${part.from}\u0000${part.to}\u0000${reference}\u0000${total}`;
    let entry = this.pending.get(key);
    if (!entry) {
      if (this.pending.size >= (this.options.maxPending ?? 10_000)) this.expire(this.pending.keys().next().value!);
      const timer = setTimeout(() => this.expire(key), this.options.timeoutMs ?? 30_000);
      timer.unref();
      entry = { parts: new Array<InboundPart | undefined>(total).fill(undefined), received: 0, timer };
      this.pending.set(key, entry);
    }
    if (!entry.parts[sequence - 1]) entry.received++;
    entry.parts[sequence - 1] = part;
    if (entry.received < total) return undefined;
    clearTimeout(entry.timer);
    this.pending.delete(key);
    return joined(entry.parts, total);
  }

  /** Long messages still waiting for parts. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Hands on everything still waiting (at shutdown) and stops the timers. */
  flush(): void {
    for (const key of [...this.pending.keys()]) this.expire(key);
  }

  private expire(key: string): void {
    const entry = this.pending.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.pending.delete(key);
    this.options.onIncomplete(joined(entry.parts, entry.parts.length));
  }
}

function joined(parts: Array<InboundPart | undefined>, expectedParts: number): InboundMessage {
  const present = parts.filter((part): part is InboundPart => part !== undefined);
  const first = present[0]!;
  return {
    from: first.from,
    to: first.to,
    text: present.map((part) => part.text).join(""),
    binary: present.some((part) => part.binary),
    parts: present.length,
    expectedParts,
    gatewayMessageIds: present.map((part) => part.gatewayMessageId),
  };
}
