import { Alert, Card, ErrorAlert, Loading, Select, useLocale, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, ok } from "../api";
import { OfferingRow, pick, useBuyFlow, useOfferings } from "../shop";

const KINDS = ["DATA_PACK", "VOICE_PACK", "ROAMING_PACK"] as const;

/** Data, voice and roaming packs on sale to this subscriber, bought with a confirmation step. */
export function PacksPage() {
  const t = useT();
  const { locale } = useLocale();
  const [kind, setKind] = useState<(typeof KINDS)[number]>("DATA_PACK");
  const [destination, setDestination] = useState("");
  const destinations = useQuery({
    queryKey: ["roaming-destinations"],
    enabled: kind === "ROAMING_PACK",
    queryFn: () => ok(api.GET("/v1/me/roaming-destinations")),
  });
  const offerings = useOfferings(kind, kind === "ROAMING_PACK" ? destination : undefined);
  const buy = useBuyFlow();
  const [buying, setBuying] = useState<string>();
  return (
    <>
      <h1>{t("nav.packs")}</h1>
      <Select
        label={t("packs.kind")}
        value={kind}
        onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}
        options={KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
      />
      {kind === "ROAMING_PACK" && destinations.data && (
        <Select
          label={t("packs.destination")}
          value={destination}
          onChange={(e) => setDestination(e.target.value)}
          options={[
            { value: "", label: t("packs.anyDestination") },
            ...destinations.data.destinations.map((d) => ({ value: d.countryCode, label: pick(d.name, locale) })),
          ]}
        />
      )}
      {buy.error && <Alert tone="error">{buy.error}</Alert>}
      {buy.done && (
        <Alert tone="success">
          {t("buy.done", { name: pick(buy.done.offeringName, locale), orderId: buy.done.orderId })}
        </Alert>
      )}
      <Card title={t(`kind.${kind}`)}>
        {offerings.isPending ? (
          <Loading />
        ) : offerings.error ? (
          <ErrorAlert error={offerings.error} />
        ) : offerings.data.offerings.length === 0 ? (
          <p className="oh-muted">{t("packs.none")}</p>
        ) : (
          <ul className="oh-list">
            {offerings.data.offerings.map((o) => (
              <OfferingRow
                key={o.code}
                offering={o}
                busy={buy.busy && buying === o.code}
                onBuy={() => {
                  setBuying(o.code);
                  void buy.start(o);
                }}
              />
            ))}
          </ul>
        )}
      </Card>
      {buy.dialog}
    </>
  );
}
