/**
 * Messages per number per window (a fixed window per number, in memory: the hall's answer to a flood is cheap
 * and local). Each number is told once per window that it is sending too fast, then ignored until the window ends.
 */
export class NumberRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** "ok" to handle, "warn" for the first message over the limit (answer it with a warning), "drop" after. */
  take(number: string): "ok" | "warn" | "drop" {
    const now = this.now();
    let window = this.windows.get(number);
    if (!window || now - window.start >= this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(number, window);
      if (this.windows.size > 100_000) this.sweep(now);
    }
    window.count++;
    if (window.count <= this.perWindow) return "ok";
    return window.count === this.perWindow + 1 ? "warn" : "drop";
  }

  private sweep(now: number): void {
    for (const [number, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(number);
  }
}
