import {
  Alert,
  Button,
  Card,
  ErrorAlert,
  Field,
  LiveOfferItem,
  type LiveOfferView,
  Select,
  useLocale,
  useT,
} from "@omnihall/ui";
import { useState, type FormEvent } from "react";
import { api, ok, type Offering } from "./api";

/**
 * An order for the subscriber in front of the agent — a pack (or anything else on sale here), or broadband — through
 * the order engine as every hall: the engine sends the subscriber a one-time code, the agent types in what they read
 * out. A new broadband line also takes the installation address and the appointment the subscriber agrees to (the
 * order engine checks it). Online only: the code must reach the subscriber while the agent is there, so these are
 * never queued on the device; nothing is charged before the code is confirmed.
 */
export function OrderCard({
  online,
  offerings,
  kind,
  campaigns = [],
}: {
  online: boolean;
  offerings: Offering[];
  kind: "PACK" | "BROADBAND";
  /** Live campaigns of the territory: one selling the offering picked is pitched here and carried to the order. */
  campaigns?: LiveOfferView[];
}) {
  const t = useT();
  const { locale } = useLocale();
  const sold = offerings.filter((offering) => (offering.kind === "BROADBAND") === (kind === "BROADBAND"));
  const prefix = kind === "BROADBAND" ? "broadband" : "order";
  const [msisdn, setMsisdn] = useState("");
  const [offeringCode, setOfferingCode] = useState(sold[0]?.code ?? "");
  const [address, setAddress] = useState("");
  const [when, setWhen] = useState("");
  const [pending, setPending] = useState<{ orderId: string; subscriberId: string }>();
  const [code, setCode] = useState("");
  const [done, setDone] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const campaign = campaigns.find((offer) => offer.offeringCode === offeringCode);
  const installs = sold.find((offering) => offering.code === offeringCode)?.broadband?.orderType === "NEW_INSTALLATION";

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
          body: {
            subscriberId: subscriber?.subscriberId ?? "",
            offeringCode,
            ...(campaign ? { campaignId: campaign.campaignId } : {}),
            // <input type="datetime-local"> is wall-clock time on the handheld; the order engine checks the slot.
            ...(installs ? { installation: { address, appointmentTime: new Date(when).toISOString() } } : {}),
          },
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

  return (
    <Card title={t(`${prefix}.title`)}>
      {pending ? (
        <form onSubmit={confirm} aria-label={t(`${prefix}.confirm`)}>
          <Alert tone="info">{t("order.pending")}</Alert>
          <Field
            label={t("order.code")}
            inputMode="numeric"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            required
          />
          <Button type="submit" busy={busy} disabled={!online}>
            {t(`${prefix}.confirm`)}
          </Button>
        </form>
      ) : (
        // A refusal stays until the agent changes what was refused.
        <form onSubmit={create} onChange={() => setError(undefined)} aria-label={t(`${prefix}.title`)}>
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
            options={sold.map((offering) => ({
              value: offering.code ?? "",
              label: (locale === "en" ? offering.nameEn : offering.nameZh) ?? offering.code ?? "",
            }))}
          />
          {campaign && <LiveOfferItem offer={campaign} />}
          {installs && (
            <>
              <Field
                label={t("broadband.address")}
                value={address}
                onChange={(e) => setAddress(e.target.value)}
                required
              />
              <Field
                label={t("broadband.time")}
                type="datetime-local"
                value={when}
                onChange={(e) => setWhen(e.target.value)}
                required
              />
            </>
          )}
          <Button type="submit" busy={busy} disabled={!online || !offeringCode}>
            {t("order.submit")}
          </Button>
        </form>
      )}
      <ErrorAlert error={error} />
      {done && <Alert tone="success">{t("order.done", { state: done })}</Alert>}
    </Card>
  );
}
