import { Button, Money, useLocale, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { answer, kioskApi } from "../api";

/** What the kiosk shows while nobody uses it: its live offers, and one big button to start. */
export function AttractScreen({ onStart }: { onStart(): void }) {
  const t = useT();
  const { locale } = useLocale();
  const offers = useQuery({
    queryKey: ["offers"],
    queryFn: () => answer(kioskApi.GET("/v1/offers")),
    refetchInterval: 60_000,
  });
  return (
    <div className="kiosk-attract">
      <h1>{t("attract.welcome")}</h1>
      <Button className="kiosk-big" onClick={onStart}>
        {t("attract.start")}
      </Button>
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
