import { Button, LiveOfferItem, useLocale, useLiveOffers, useOfferReporter, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { api } from "./api";
import { useMe } from "./session";
import { pick, useBuyFlow, type Offering } from "./shop";

/**
 * The campaign banner: the web hall's live campaign offers for this subscriber's home (national ones before
 * login), pushed by the hall's event stream — a launch appears and a pause disappears without a reload. Logged
 * in, "Buy" runs the usual two-step purchase with the campaign id on the order; impressions and clicks are
 * reported in the background.
 */
export function CampaignBanner() {
  const t = useT();
  const { locale } = useLocale();
  const me = useMe();
  const loggedIn = !!me.data;
  const offers = useLiveOffers({ key: me.data?.subscriberId ?? "" });
  const reporter = useOfferReporter((interactions) =>
    api.POST("/v1/live-offers/interactions", { body: { interactions } }),
  );
  // The catalog's offering behind each campaign: the confirmation step shows its validity.
  const catalog = useQuery({
    queryKey: ["offerings", "all"],
    queryFn: async () => (await api.GET("/v1/me/offerings", {})).data?.offerings ?? [],
    enabled: loggedIn && !!offers && offers.length > 0,
  });
  const buy = useBuyFlow();
  useEffect(() => {
    if (offers) reporter.shown(offers);
  }, [offers, reporter]);

  if (!offers || offers.length === 0) return null;
  const offeringOf = (code: string): Offering | undefined => catalog.data?.find((o) => o.code === code);
  return (
    <section className="wh-campaigns" aria-label={t("campaigns.title")} data-testid="campaign-banner">
      {offers.map((offer) => {
        const offering = offeringOf(offer.offeringCode);
        return (
          <LiveOfferItem
            key={offer.campaignId}
            offer={offer}
            action={
              !loggedIn ? (
                <p className="oh-muted">{t("campaigns.logInToBuy")}</p>
              ) : offering ? (
                <div className="oh-row">
                  <Button
                    busy={buy.busy}
                    aria-label={t("buy.buyNamed", { name: pick(offer.title, locale) })}
                    onClick={() => {
                      reporter.clicked(offer);
                      void buy.start(offering, { campaignId: offer.campaignId });
                    }}
                  >
                    {t("buy.buy")}
                  </Button>
                </div>
              ) : null
            }
          />
        );
      })}
      {buy.error && <p role="alert">{buy.error}</p>}
      {buy.done && (
        <p role="status">{t("buy.done", { name: pick(buy.done.offeringName, locale), orderId: buy.done.orderId })}</p>
      )}
      {buy.dialog}
    </section>
  );
}
