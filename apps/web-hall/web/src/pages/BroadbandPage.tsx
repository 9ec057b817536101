import { Alert, Button, Card, ErrorAlert, Field, Loading, useLocale, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, ok } from "../api";
import { InstallationTracker } from "../progress";
import { OfferingRow, pick, useBuyFlow, useOfferings, type Offering } from "../shop";

/** Broadband on sale in the subscriber's province (new lines with an appointment, renewals), and progress. */
export function BroadbandPage() {
  const t = useT();
  const { locale } = useLocale();
  const offerings = useOfferings("BROADBAND");
  const buy = useBuyFlow();
  const [installing, setInstalling] = useState<Offering>();
  const orders = useQuery({
    queryKey: ["orders"],
    queryFn: () => ok(api.GET("/v1/me/orders", { params: { query: { pageSize: 50 } } })),
  });
  const installations = orders.data?.orders.filter((o) => o.installation) ?? [];
  return (
    <>
      <h1>{t("nav.broadband")}</h1>
      {buy.error && <Alert tone="error">{buy.error}</Alert>}
      {buy.done && (
        <Alert tone="success">
          {t("buy.done", { name: pick(buy.done.offeringName, locale), orderId: buy.done.orderId })}
        </Alert>
      )}
      {installations.map((o) => (
        <Card key={o.orderId} title={`${pick(o.offeringName, locale)} · ${t(`orderState.${o.state}`)}`}>
          <InstallationTracker order={o} />
        </Card>
      ))}
      <Card title={t("broadband.offers")}>
        {offerings.isPending ? (
          <Loading />
        ) : offerings.error ? (
          <ErrorAlert error={offerings.error} />
        ) : offerings.data.offerings.length === 0 ? (
          <p className="oh-muted">{t("broadband.none")}</p>
        ) : (
          <ul className="oh-list">
            {offerings.data.offerings.map((o) => (
              <OfferingRow
                key={o.code}
                offering={o}
                onBuy={() => (o.broadband?.orderType === "NEW_INSTALLATION" ? setInstalling(o) : void buy.start(o))}
              />
            ))}
          </ul>
        )}
      </Card>
      {installing && (
        <AppointmentForm
          offering={installing}
          busy={buy.busy}
          onSubmit={(installation) => void buy.start(installing, { installation })}
        />
      )}
      {buy.dialog}
    </>
  );
}

function AppointmentForm({
  offering,
  busy,
  onSubmit,
}: {
  offering: Offering;
  busy: boolean;
  onSubmit(installation: { address: string; appointmentTime: string }): void;
}) {
  const t = useT();
  const { locale } = useLocale();
  const [address, setAddress] = useState("");
  const [when, setWhen] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // <input type="datetime-local"> is wall-clock time where the subscriber is; the service checks it is ahead.
    onSubmit({ address, appointmentTime: new Date(when).toISOString() });
  };
  return (
    <Card title={t("broadband.appointment", { name: pick(offering.name, locale) })}>
      <form onSubmit={submit} noValidate>
        <Field label={t("broadband.address")} required value={address} onChange={(e) => setAddress(e.target.value)} />
        <Field
          label={t("broadband.time")}
          type="datetime-local"
          required
          value={when}
          onChange={(e) => setWhen(e.target.value)}
        />
        <Button type="submit" busy={busy} disabled={!address || !when}>
          {t("broadband.order")}
        </Button>
      </form>
    </Card>
  );
}
