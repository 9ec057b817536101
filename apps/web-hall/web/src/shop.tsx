import {
  Button,
  ConfirmDialog,
  formatDataKb,
  formatFen,
  type Locale,
  Money,
  useErrorText,
  useLocale,
  useT,
} from "@omnihall/ui";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, newIdempotencyKey, ok } from "./api";

export type Offering = Awaited<ReturnType<typeof fetchOfferings>>["offerings"][number];
export type Order = Awaited<ReturnType<typeof createOrder>>["order"];
type Allowance = Offering["allowances"][number];

async function fetchOfferings(kind: string, roamingCountryCode?: string) {
  return ok(
    api.GET("/v1/me/offerings", {
      params: { query: { kind: kind as "DATA_PACK", ...(roamingCountryCode ? { roamingCountryCode } : {}) } },
    }),
  );
}

async function createOrder(
  offeringCode: string,
  extra: {
    characteristics?: Record<string, string>;
    installation?: { address: string; appointmentTime: string };
    /** The campaign whose offer was bought (the banner), so the sale is attributed to it. */
    campaignId?: string;
  } = {},
) {
  return ok(
    api.POST("/v1/me/orders", {
      params: { header: { "idempotency-key": newIdempotencyKey() } },
      body: { offeringCode, ...extra },
    }),
  );
}

export function useOfferings(kind: string, roamingCountryCode?: string) {
  return useQuery({
    queryKey: ["offerings", kind, roamingCountryCode ?? ""],
    queryFn: () => fetchOfferings(kind, roamingCountryCode),
  });
}

/** A localized text of the services in the page's language. */
export function pick(text: { "zh-CN": string; en: string }, locale: Locale): string {
  return text[locale] || text["zh-CN"];
}

export function useAllowanceText() {
  const t = useT();
  return (a: Allowance) => {
    const where = a.roamingCountryCode ? ` (${a.roamingCountryCode})` : "";
    if (a.unit === "DATA_KB") return t("allowance.data", { amount: formatDataKb(a.quantity) }) + where;
    if (a.unit === "VOICE_SECONDS") return t("allowance.voice", { minutes: Math.floor(a.quantity / 60) }) + where;
    return t("allowance.sms", { count: a.quantity });
  };
}

export function useValidityText() {
  const t = useT();
  return (o: Pick<Offering, "validity" | "priceRecurrence">) => {
    const validity =
      o.validity.kind === "DAYS"
        ? t("validity.days", { days: o.validity.days })
        : o.validity.kind === "CALENDAR_MONTH"
          ? t("validity.month")
          : t("validity.open");
    return o.priceRecurrence === "MONTHLY" ? `${validity} · ${t("price.monthly")}` : validity;
  };
}

/**
 * Buying an offering, in two steps like the order engine: "Buy" creates the order (pending, nothing charged),
 * the dialog shows the order's own price and the offering's validity, and only "Confirm" confirms it. Cancel
 * cancels the pending order.
 */
export function useBuyFlow(options: { onDone?(order: Order): void } = {}) {
  const t = useT();
  const { locale } = useLocale();
  const errorText = useErrorText();
  const validityText = useValidityText();
  const queries = useQueryClient();
  const [pending, setPending] = useState<{ order: Order; offering: Offering }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<Order>();

  async function start(offering: Offering, extra?: Parameters<typeof createOrder>[1]) {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      const { order } = await createOrder(offering.code, extra);
      setPending({ order, offering });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    if (!pending) return;
    setBusy(true);
    try {
      const { order } = await ok(
        api.POST("/v1/me/orders/{orderId}/confirmation", {
          params: { path: { orderId: pending.order.orderId }, header: { "idempotency-key": newIdempotencyKey() } },
        }),
      );
      setPending(undefined);
      setDone(order);
      options.onDone?.(order);
      await queries.invalidateQueries();
    } catch (e) {
      setPending(undefined);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  async function cancel() {
    if (!pending) return;
    const { orderId } = pending.order;
    setPending(undefined);
    await api.POST("/v1/me/orders/{orderId}/cancellation", {
      params: { path: { orderId }, header: { "idempotency-key": newIdempotencyKey() } },
    });
  }

  const dialog = (
    <ConfirmDialog
      open={!!pending}
      title={t("buy.confirmTitle")}
      confirmLabel={t("buy.confirmPay")}
      busy={busy}
      onConfirm={confirm}
      onCancel={cancel}
    >
      {pending && (
        <dl className="wh-facts">
          <dt>{t("buy.item")}</dt>
          <dd>{pick(pending.order.offeringName, locale)}</dd>
          <dt>{t("buy.price")}</dt>
          <dd data-testid="confirm-price">
            <Money fen={pending.order.priceFen} />
          </dd>
          <dt>{t("buy.validity")}</dt>
          <dd>{validityText(pending.offering)}</dd>
        </dl>
      )}
      <p className="oh-muted">{t("buy.chargeNotice")}</p>
    </ConfirmDialog>
  );
  return { start, busy, error, done, dialog };
}

/** One offering as a row with its price and a Buy button. */
export function OfferingRow({ offering, onBuy, busy }: { offering: Offering; onBuy(): void; busy?: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const allowanceText = useAllowanceText();
  const validityText = useValidityText();
  const name = pick(offering.name, locale);
  const broadbandText = (b: NonNullable<Offering["broadband"]>) => [
    t("broadband.speed", { mbps: b.downstreamMbps ?? 0 }),
    ...(b.contractMonths ? [t("broadband.contract", { months: b.contractMonths })] : []),
    ...(b.installationFeeFen ? [t("broadband.installationFee", { fee: formatFen(b.installationFeeFen) })] : []),
  ];
  return (
    <li className="wh-offer">
      <div>
        <div className="wh-offer__name">{name}</div>
        <div className="oh-muted">
          {[
            ...offering.allowances.map(allowanceText),
            ...(offering.broadband ? broadbandText(offering.broadband) : []),
            validityText(offering),
          ].join(" · ")}
        </div>
      </div>
      <div className="oh-row">
        <Money fen={offering.priceFen} />
        <Button onClick={onBuy} busy={busy} aria-label={t("buy.buyNamed", { name })}>
          {t("buy.buy")}
        </Button>
      </div>
    </li>
  );
}
