import { useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { formatFen } from "./format.js";
import { useLocale, useT } from "./i18n.js";

type Localized = { "zh-CN": string; en: string };

/** One live campaign offer as every hall serves it (hall-kit's `liveOfferRoutes`). */
export interface LiveOfferView {
  campaignId: string;
  offeringCode: string;
  /** The campaign price, fen; absent: the catalog price. */
  priceFen?: number;
  /** Off the catalog price, basis points; 0 none. */
  discountBps: number;
  title: Localized;
  text: Localized;
  endTime?: string;
}

const RETRY_MS = 10_000;

/**
 * The campaign offers live on this hall, kept current by the hall's server-sent events
 * (`/v1/live-offers/events`): a launch appears and a pause disappears without a reload. `key` reopens the stream
 * when who is in front of the screen changes (a login), since that changes which offers they see. `false`
 * while the stream has not answered yet.
 */
export function useLiveOffers(options: { enabled?: boolean; key?: string } = {}): LiveOfferView[] | false {
  const enabled = options.enabled ?? true;
  const [offers, setOffers] = useState<LiveOfferView[] | false>(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!enabled || typeof EventSource === "undefined") return;
    // The browser reconnects by itself after a dropped connection; the first event then is the whole list again.
    const events = new EventSource("/v1/live-offers/events");
    events.addEventListener("offers", (event) => {
      setOffers((JSON.parse((event as MessageEvent<string>).data) as { offers: LiveOfferView[] }).offers);
    });
    // An error answer (a service the hall asked was down, a session expired) closes the stream for good: open a
    // new one a little later instead of leaving the screen without campaigns until a reload.
    let retry: ReturnType<typeof setTimeout> | undefined;
    events.addEventListener("error", () => {
      if (events.readyState === EventSource.CLOSED) retry = setTimeout(() => setAttempt((n) => n + 1), RETRY_MS);
    });
    return () => {
      clearTimeout(retry);
      events.close();
    };
  }, [enabled, options.key, attempt]);
  return enabled ? offers : [];
}

export interface OfferInteraction {
  clientEventId: string;
  campaignId: string;
  kind: "IMPRESSION" | "CLICK";
  occurTime: string;
}

const FLUSH_MS = 2_000;
const MAX_BATCH = 50;
/** Reports waiting while the hall is unreachable; older ones are dropped first (counts, not business). */
const MAX_WAITING = 200;

/**
 * Impressions and clicks of campaign offers, sent to the hall in batches every 2 s (`send`: the hall's
 * POST /v1/live-offers/interactions), fire-and-forget: a failed batch is dropped, never retried in the way of
 * the page. Each offer counts one impression per mounted screen.
 */
export function useOfferReporter(send: (interactions: OfferInteraction[]) => Promise<unknown>) {
  const waiting = useRef<OfferInteraction[]>([]);
  const seen = useRef(new Set<string>());
  const sendRef = useRef(send);
  sendRef.current = send;
  useEffect(() => {
    const flush = () => {
      const batch = waiting.current.splice(0, MAX_BATCH);
      if (batch.length) void sendRef.current(batch).catch(() => undefined);
    };
    const timer = setInterval(flush, FLUSH_MS);
    return () => {
      clearInterval(timer);
      flush();
    };
  }, []);
  return useMemo(() => {
    const note = (campaignId: string, kind: OfferInteraction["kind"]) => {
      waiting.current.push({
        clientEventId: crypto.randomUUID(),
        campaignId,
        kind,
        occurTime: new Date().toISOString(),
      });
      if (waiting.current.length > MAX_WAITING) waiting.current.splice(0, waiting.current.length - MAX_WAITING);
    };
    return {
      shown(offers: readonly LiveOfferView[]) {
        for (const offer of offers) {
          if (seen.current.has(offer.campaignId)) continue;
          seen.current.add(offer.campaignId);
          note(offer.campaignId, "IMPRESSION");
        }
      },
      clicked(offer: LiveOfferView) {
        note(offer.campaignId, "CLICK");
      },
    };
  }, []);
}

/** "活动价 ¥19.00" / "8折", "Campaign price ¥19.00" / "20% off"; empty when the catalog price stands. */
export function useOfferPriceText() {
  const t = useT();
  return (offer: LiveOfferView) =>
    offer.priceFen !== undefined
      ? t("ui.offer.price", { price: formatFen(offer.priceFen) })
      : offer.discountBps > 0
        ? t("ui.offer.discount", {
            zhe: String((10_000 - offer.discountBps) / 1_000),
            percent: String(offer.discountBps / 100),
          })
        : "";
}

/**
 * One campaign offer: its channel's title and text in the page's language, the campaign price or discount, and
 * the hall's own action (buy, order for the customer). A labelled region, so a screen reader announces it.
 */
export function LiveOfferItem({
  offer,
  action,
  className,
}: {
  offer: LiveOfferView;
  action?: ReactNode;
  className?: string;
}) {
  const { locale } = useLocale();
  const priceText = useOfferPriceText();
  const title = offer.title[locale] || offer.title["zh-CN"];
  const text = offer.text[locale] || offer.text["zh-CN"];
  const price = priceText(offer);
  return (
    <article
      className={`oh-live-offer${className ? ` ${className}` : ""}`}
      aria-label={title}
      data-campaign-id={offer.campaignId}
    >
      <h3 className="oh-live-offer__title">{title}</h3>
      {text && <p className="oh-live-offer__text">{text}</p>}
      {price && <p className="oh-live-offer__price">{price}</p>}
      {action}
    </article>
  );
}
