import { Alert, Button, Card, ErrorAlert, Field, Loading, Money, Select, useLocale, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, ok } from "../api";
import { pick, useBuyFlow, useOfferings, type Offering } from "../shop";

/**
 * Call forwarding is a value-added offering whose settings (condition, target number) the catalog defines: the
 * form is built from those definitions and the order carries the values; the order engine validates them.
 */
export function CallForwardingPage() {
  const t = useT();
  const { locale } = useLocale();
  const features = useOfferings("VALUE_ADDED");
  const products = useQuery({ queryKey: ["products"], queryFn: () => ok(api.GET("/v1/me/products")) });
  const forwarding = features.data?.offerings.filter((o) => o.feature?.featureCode === "CALL_FORWARDING") ?? [];
  const held = products.data?.products.filter((p) => forwarding.some((o) => o.code === p.offeringCode)) ?? [];
  // The settings in force are those of the order that activated the product the subscriber holds.
  const orders = useQuery({
    queryKey: ["orders"],
    enabled: held.length > 0,
    queryFn: () => ok(api.GET("/v1/me/orders", { params: { query: { pageSize: 50 } } })),
  });
  const current = orders.data?.orders.find((o) => held.some((p) => p.productId === o.productId));
  return (
    <>
      <h1>{t("nav.callForwarding")}</h1>
      {held.length > 0 && (
        <Alert tone="info">
          {t("forwarding.active", { name: held.map((p) => pick(p.offeringName, locale)).join(", ") })}
          {current && (
            <span data-testid="forwarding-current">
              {(forwarding.find((o) => o.code === current.offeringCode)?.feature?.settings ?? []).map((setting) => {
                const value = current.characteristics[setting.key] ?? "";
                return ` · ${pick(setting.label, locale)}: ${setting.type === "CHOICE" ? t(`forwarding.${value}`) : value}`;
              })}
            </span>
          )}
        </Alert>
      )}
      {features.isPending ? (
        <Loading />
      ) : features.error ? (
        <ErrorAlert error={features.error} />
      ) : forwarding.length === 0 ? (
        <Card>
          <p className="oh-muted">{t("forwarding.none")}</p>
        </Card>
      ) : (
        forwarding.map((o) => <ForwardingForm key={o.code} offering={o} />)
      )}
    </>
  );
}

function ForwardingForm({ offering }: { offering: Offering }) {
  const t = useT();
  const { locale } = useLocale();
  const buy = useBuyFlow();
  const settings = offering.feature?.settings ?? [];
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(settings.map((s) => [s.key, s.type === "CHOICE" ? (s.allowedValues[0] ?? "") : ""])),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void buy.start(offering, { characteristics: values });
  };
  return (
    <Card title={pick(offering.name, locale)}>
      <p className="oh-muted">
        {pick(offering.description, locale)} <Money fen={offering.priceFen} />
        {offering.priceRecurrence === "MONTHLY" ? ` ${t("price.monthly")}` : ""}
      </p>
      <form onSubmit={submit} noValidate>
        {settings.map((s) =>
          s.type === "CHOICE" ? (
            <Select
              key={s.key}
              label={pick(s.label, locale)}
              value={values[s.key]}
              onChange={(e) => setValues({ ...values, [s.key]: e.target.value })}
              options={s.allowedValues.map((v) => ({ value: v, label: t(`forwarding.${v}`) }))}
            />
          ) : (
            <Field
              key={s.key}
              label={pick(s.label, locale)}
              inputMode="tel"
              required={s.required}
              value={values[s.key]}
              onChange={(e) => setValues({ ...values, [s.key]: e.target.value.trim() })}
            />
          ),
        )}
        <Button type="submit" busy={buy.busy}>
          {t("forwarding.set")}
        </Button>
      </form>
      {buy.error && <Alert tone="error">{buy.error}</Alert>}
      {buy.done && <Alert tone="success">{t("forwarding.done")}</Alert>}
      {buy.dialog}
    </Card>
  );
}
