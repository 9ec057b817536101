import { randomUUID } from "node:crypto";
import type { Peripherals } from "./devices/peripherals.js";

/** How long a read card stays usable: the person in front of the kiosk now, not the one before. */
const CARD_VALID_MS = 120_000;

export interface ReadCard {
  /** Opaque id of this read, so a page acts on the card it showed, not on one read since. */
  readId: string;
  number: string;
  name: string;
  readAt: number;
}

/**
 * The last ID card the reader read, held in this process only (one reader per kiosk hall) and never sent to
 * the page: the page gets the masked numbers the customer service answers for it.
 */
export class IdCardDesk {
  #card: ReadCard | undefined;
  readonly #stop: () => void;

  constructor(
    peripherals: Peripherals,
    private readonly now: () => number = Date.now,
  ) {
    this.#stop = peripherals.idCards.onCard((card) => {
      this.#card = { readId: randomUUID(), number: card.number, name: card.name, readAt: this.now() };
    });
  }

  current(): ReadCard | undefined {
    const card = this.#card;
    if (card && this.now() - card.readAt > CARD_VALID_MS) this.#card = undefined;
    return this.#card;
  }

  /** Forget the card (used for a login, or the screen went back to the start). */
  clear() {
    this.#card = undefined;
  }

  stop() {
    this.#stop();
  }
}
