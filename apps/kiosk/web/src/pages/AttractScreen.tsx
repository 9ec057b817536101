import { Button, LiveOfferItem, Money, useLiveOffers, useLocale, useOfferReporter, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { ok, kioskApi } from "../api";

/**
 * What the kiosk shows while nobody uses it: the campaigns live on kiosks of this shop's province (pushed by the
 * hall's event stream: a launch appears, a pause disappears, no reload), its offers, and one big button to start.
 */
export function AttractScreen({ onStart }: { onStart(): void }) {
  const t = useT();
  const { locale } = useLocale();
  const campaigns = useLiveOffers();
  const reporter = useOfferReporter((interactions) =>
    kioskApi.POST("/v1/live-offers/interactions", { body: { interactions } }),
  );
  useEffect(() => {
    if (campaigns) reporter.shown(campaigns);
  }, [campaigns, reporter]);
  const offers = useQuery({
    queryKey: ["offers"],
    queryFn: () => ok(kioskApi.GET("/v1/offers")),
    refetchInterval: 60_000,
  });
  return (
    <div className="kiosk-attract">
      <h1>{t("attract.welcome")}</h1>
      <Button className="kiosk-big" onClick={onStart}>
        {t("attract.start")}
      </Button>
      {campaigns && campaigns.length > 0 && (
        <section aria-labelledby="campaigns-heading" className="kiosk-campaigns" data-testid="campaign-offers">
          <h2 id="campaigns-heading">{t("attract.campaigns")}</h2>
          {campaigns.map((offer) => (
            <LiveOfferItem
              key={offer.campaignId}
              offer={offer}
              className="kiosk-campaign"
              action={
                <Button
                  className="kiosk-big"
                  onClick={() => {
                    reporter.clicked(offer);
                    onStart();
                  }}
                >
                  {t("attract.campaignStart")}
                </Button>
              }
            />
          ))}
        </section>
      )}
      <section aria-labelledby="offers-heading">
        <h2 id="offers-heading">{t("attract.offers")}</h2>
        {offers.data && offers.data.offers.length === 0 && <p>{t("attract.noOffers")}</p>}
        <ul className="kiosk-offers">
          {offers.data?.offers.map((offer) => (
            <li key={offer.code} className="kiosk-offer">
              <strong>{offer.name[locale]}</strong>
              <span>{offer.description[locale]}</span>
              <Money fen={offer.priceFen} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
