import { ListOffersResponse, type LiveOffer } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import type { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { LiveOffers } from "./live-offers.js";
import type { Place } from "./offer-cache.js";

const encoded = (offers: LiveOffer[]) => Buffer.from(ListOffersResponse.encode({ offers }).finish());

/**
 * The offers one screen shows, as they change: the current list first, then a new list each time a launch, pause or
 * end changes what this channel shows in this place (changes elsewhere yield nothing). Ends when `signal` aborts.
 * Made for a hall's server-sent events (`sendEvents` of @omnihall/hall-kit): map each list to an event.
 */
export async function* offerUpdates(
  board: LiveOffers,
  channel: Channel,
  place: Place,
  signal: AbortSignal,
): AsyncIterable<LiveOffer[]> {
  let changed = false;
  let wake: (() => void) | undefined;
  const unsubscribe = board.onChange(() => {
    changed = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener("abort", onAbort);
  try {
    let offers = board.offersFor(channel, place);
    let last = encoded(offers);
    yield offers;
    while (!signal.aborted) {
      if (!changed) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (signal.aborted) break;
      changed = false;
      offers = board.offersFor(channel, place);
      const now = encoded(offers);
      if (now.equals(last)) continue;
      last = now;
      yield offers;
    }
  } finally {
    unsubscribe();
    signal.removeEventListener("abort", onAbort);
  }
}
