import type { Trade, NotifyBehaviour } from "./trades.js";

export interface NotificationFormat {
  /** The signed body of a notification about the trade, `paid` or not, claiming `amountFen`. */
  body(trade: Trade, paid: boolean, amountFen: bigint, forge: boolean): { contentType: string; body: string };
  /** Whether the merchant's answer acknowledges the notification. */
  acknowledged(status: number, text: string): boolean;
}

export interface Delivery {
  status: number;
  body: string;
  reason: string | null;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Posts a trade's notification to the merchant as the behaviour says: after a delay, in several identical copies
 * at once, followed by a stale "waiting" report, forged or for another amount — and, like a real gateway, again
 * later while the merchant does not acknowledge it. Resolves with every answer the merchant gave.
 */
export async function deliver(
  format: NotificationFormat,
  trade: Trade,
  behaviour: NotifyBehaviour,
): Promise<Delivery[]> {
  if (behaviour.suppress) return [];
  if (behaviour.delayMs) await sleep(behaviour.delayMs);
  const answers: Delivery[] = [];
  const amount = behaviour.wrongAmountFen ?? trade.amountFen;
  const send = async (paid: boolean) => {
    const { contentType, body } = format.body(trade, paid, amount, !!behaviour.wrongSignature);
    try {
      const response = await fetch(trade.notifyUrl, { method: "POST", headers: { "content-type": contentType }, body });
      const text = await response.text();
      const answer = { status: response.status, body: text, reason: response.headers.get("x-omnihall-reason") };
      answers.push(answer);
      return format.acknowledged(response.status, text);
    } catch (error) {
      answers.push({ status: 0, body: (error as Error).message, reason: null });
      return false;
    }
  };
  const retries = behaviour.retries ?? 3;
  for (let attempt = 0; attempt <= retries; attempt += 1) {
    const copies = await Promise.all(
      Array.from({ length: attempt === 0 ? (behaviour.copies ?? 1) : 1 }, () => send(true)),
    );
    if (copies.some(Boolean)) break;
    if (attempt < retries) await sleep(behaviour.retryMs ?? 1_000);
  }
  if (behaviour.staleAfter) await send(false);
  return answers;
}
