/**
 * The numbered list a subscriber was last sent ("0000" → "reply 1 to cancel …"), so a bare number can be matched
 * to what it meant. Kept in memory for a few minutes: a number reply after a restart or the expiry gets "send 0000
 * again". While a list is open, a bare number answers it before any campaign reply keyword.
 */
export type Prompt = { kind: "UNSUBSCRIBE"; choices: Array<{ productId: string; name: string }> };

export class PromptMemory {
  private readonly prompts = new Map<string, { prompt: Prompt; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  remember(subscriberId: string, prompt: Prompt): void {
    this.prompts.set(subscriberId, { prompt, expiresAt: this.now() + this.ttlMs });
    if (this.prompts.size > 100_000) {
      for (const [key, entry] of this.prompts) if (entry.expiresAt <= this.now()) this.prompts.delete(key);
    }
  }

  recall(subscriberId: string): Prompt | undefined {
    const entry = this.prompts.get(subscriberId);
    if (!entry || entry.expiresAt <= this.now()) return undefined;
    return entry.prompt;
  }

  forget(subscriberId: string): void {
    this.prompts.delete(subscriberId);
  }
}
