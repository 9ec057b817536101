export { OfferCache, type LiveOfferChange, type LiveOfferListener, type Place } from "./offer-cache.js";
export {
  LIVE_OFFERS_BUCKET,
  MemoryLiveOffers,
  NatsLiveOffers,
  openLiveOffers,
  type LiveOffers,
  type NatsLiveOffersOptions,
} from "./live-offers.js";
export { offerUpdates } from "./offer-updates.js";
