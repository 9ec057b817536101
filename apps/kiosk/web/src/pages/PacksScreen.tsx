import { Button, Money, useLocale, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { ok, kioskApi } from "../api";
import { useOrderConfirmation } from "./OrderConfirmation";

/** Data or roaming packs the subscriber may order here, each with a Buy button that leads to the confirmation. */
export function PacksScreen({ kind }: { kind: "DATA_PACK" | "ROAMING_PACK" }) {
  const t = useT();
  const { locale } = useLocale();
  const flow = useOrderConfirmation();
  const offers = useQuery({
    queryKey: ["offerings", kind],
    queryFn: () => ok(kioskApi.GET("/v1/me/offerings", { params: { query: { kind } } })),
  });
  return (
    <div className="kiosk-stack">
      <h1>{t(`packs.${kind}`)}</h1>
      {flow.view}
      {offers.data?.offers.length === 0 && <p>{t("packs.none")}</p>}
      <ul className="kiosk-offers">
        {offers.data?.offers.map((offer) => (
          <li key={offer.code} className="kiosk-offer">
            <strong>{offer.name[locale]}</strong>
            <span>{offer.description[locale]}</span>
            <Money fen={offer.priceFen} />
            <Button
              className="kiosk-big"
              busy={flow.busy}
              aria-label={t("packs.buyNamed", { name: offer.name[locale] })}
              onClick={() => void flow.order(offer.code)}
            >
              {t("packs.buy")}
            </Button>
          </li>
        ))}
      </ul>
    </div>
  );
}
