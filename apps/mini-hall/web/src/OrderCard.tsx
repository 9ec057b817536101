import { Alert, Button, Card, Field, Select, useLocale, useT } from "@omnihall/ui";
import { useState, type FormEvent } from "react";
import { api, ApiError, ok, type Offering } from "./api";

/**
 * A pack (or anything else on sale here) for the subscriber in front of the agent: the order engine sends the
 * subscriber a one-time code, the agent types in what they read out. Online only; nothing is charged before the
 * code is confirmed. Broadband needs an installation appointment: ordered over the API for now.
 */
export function OrderCard({ online, offerings }: { online: boolean; offerings: Offering[] }) {
  const t = useT();
  const { locale } = useLocale();
  const packs = offerings.filter((offering) => offering.kind !== "BROADBAND");
  const [msisdn, setMsisdn] = useState("");
  const [offeringCode, setOfferingCode] = useState(packs[0]?.code ?? "");
  const [pending, setPending] = useState<{ orderId: string; subscriberId: string }>();
  const [code, setCode] = useState("");
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const create = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      setDone(undefined);
      const { subscriber } = await ok(api.GET("/v1/subscribers/{msisdn}", { params: { path: { msisdn } } }));
      const { order } = await ok(
        api.POST("/v1/orders", {
          params: { header: { "idempotency-key": crypto.randomUUID() } },
          body: { subscriberId: subscriber?.subscriberId ?? "", offeringCode },
        }),
      );
      setPending({ orderId: order?.orderId ?? "", subscriberId: order?.subscriberId ?? "" });
    });
  };

  const confirm = (event: FormEvent) => {
    event.preventDefault();
    if (!pending) return;
    void run(async () => {
      const { order } = await ok(
        api.POST("/v1/orders/{orderId}/confirmation", {
          params: { path: { orderId: pending.orderId }, header: { "idempotency-key": crypto.randomUUID() } },
          body: { subscriberId: pending.subscriberId, code },
        }),
      );
      setPending(undefined);
      setCode("");
      setDone(order?.state ?? "");
    });
  };

  const errorText =
    error instanceof ApiError ? (error.messages[locale] ?? error.messages["zh-CN"] ?? error.reason) : undefined;
  return (
    <Card title={t("order.title")}>
      {pending ? (
        <form onSubmit={confirm} aria-label={t("order.confirm")}>
          <Alert tone="info">{t("order.pending")}</Alert>
          <Field
            label={t("order.code")}
            inputMode="numeric"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            required
          />
          <Button type="submit" busy={busy} disabled={!online}>
            {t("order.confirm")}
          </Button>
        </form>
      ) : (
        <form onSubmit={create} aria-label={t("order.title")}>
          <Field
            label={t("order.msisdn")}
            inputMode="tel"
            value={msisdn}
            onChange={(e) => setMsisdn(e.target.value)}
            required
          />
          <Select
            label={t("order.offering")}
            value={offeringCode}
            onChange={(e) => setOfferingCode(e.target.value)}
            options={packs.map((offering) => ({
              value: offering.code ?? "",
              label: (locale === "en" ? offering.nameEn : offering.nameZh) ?? offering.code ?? "",
            }))}
          />
          <Button type="submit" busy={busy} disabled={!online || !offeringCode}>
            {t("order.submit")}
          </Button>
        </form>
      )}
      {errorText && <Alert tone="error">{errorText}</Alert>}
      {done && <Alert tone="success">{t("order.done", { state: done })}</Alert>}
    </Card>
  );
}
