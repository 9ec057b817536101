import {
  Alert,
  Button,
  Card,
  DateText,
  ErrorAlert,
  Loading,
  Money,
  Select,
  useErrorText,
  useLocale,
  useT,
} from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, newIdempotencyKey, ok } from "../api";
import { PAYMENT_METHODS, type PaymentMethod } from "../payments";
import { InstallationTracker } from "../progress";
import { Link, useRouter } from "../router";
import { pick } from "../shop";

/** Order history with each order's state; one order's history and installation progress under ?order=<id>. */
export function OrdersPage() {
  const t = useT();
  const { locale } = useLocale();
  const { search } = useRouter();
  const chosen = search.get("order");
  const orders = useQuery({
    queryKey: ["orders"],
    queryFn: () => ok(api.GET("/v1/me/orders", { params: { query: { pageSize: 50 } } })),
    // Orders move on their own (the saga): keep the states fresh while in progress.
    refetchInterval: (query) =>
      query.state.data?.orders.some((o) => ["PENDING", "ACKNOWLEDGED", "IN_PROGRESS", "HELD"].includes(o.state))
        ? 3000
        : false,
  });
  return (
    <>
      <h1>{t("nav.orders")}</h1>
      {chosen && <OrderDetail orderId={chosen} />}
      <Card>
        {orders.isPending ? (
          <Loading />
        ) : orders.error ? (
          <ErrorAlert error={orders.error} />
        ) : orders.data.orders.length === 0 ? (
          <p className="oh-muted">{t("orders.none")}</p>
        ) : (
          <div className="wh-scroll">
            <table className="oh-table">
              <thead>
                <tr>
                  <th scope="col">{t("orders.item")}</th>
                  <th scope="col">{t("orders.state")}</th>
                  <th scope="col">{t("orders.time")}</th>
                  <th scope="col" className="oh-num">
                    {t("buy.price")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {orders.data.orders.map((o) => (
                  <tr key={o.orderId} data-testid="order">
                    <td>
                      <Link to={`/orders?order=${encodeURIComponent(o.orderId)}`}>{pick(o.offeringName, locale)}</Link>
                    </td>
                    <td>{t(`orderState.${o.state}`)}</td>
                    <td>{o.createTime && <DateText value={o.createTime} withTime />}</td>
                    <td className="oh-num">
                      <Money fen={o.priceFen} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </>
  );
}

function OrderDetail({ orderId }: { orderId: string }) {
  const t = useT();
  const { locale } = useLocale();
  const order = useQuery({
    queryKey: ["order", orderId],
    queryFn: () => ok(api.GET("/v1/me/orders/{orderId}", { params: { path: { orderId } } })),
    refetchInterval: (query) =>
      ["COMPLETED", "FAILED", "CANCELLED"].includes(query.state.data?.order.state ?? "") ? false : 3000,
  });
  if (order.isPending) return <Loading />;
  if (order.error) return <ErrorAlert error={order.error} />;
  const o = order.data.order;
  return (
    <Card title={pick(o.offeringName, locale)}>
      <dl className="wh-facts">
        <dt>{t("orders.number")}</dt>
        <dd>{o.orderId}</dd>
        <dt>{t("orders.state")}</dt>
        <dd>{t(`orderState.${o.state}`)}</dd>
        <dt>{t("buy.price")}</dt>
        <dd>
          <Money fen={o.priceFen} />
        </dd>
        {o.failureReason && (
          <>
            <dt>{t("orders.reason")}</dt>
            <dd>{o.failureReason}</dd>
          </>
        )}
      </dl>
      {o.state === "HELD" && o.holdReason === "AWAITING_PAYMENT" && (
        <PayForOrder orderId={o.orderId} priceFen={o.priceFen} />
      )}
      {o.installation && <InstallationTracker order={o} />}
      <h3>{t("orders.history")}</h3>
      <ol>
        {o.history.map((h, i) => (
          <li key={i}>
            {t(`orderState.${h.state}`)} · {h.time && <DateText value={h.time} withTime />}
          </li>
        ))}
      </ol>
    </Card>
  );
}

/** The balance did not cover the order: pay its price on the gateway's page, then the order engine goes on. */
function PayForOrder({ orderId, priceFen }: { orderId: string; priceFen: number }) {
  const t = useT();
  const errorText = useErrorText();
  const [method, setMethod] = useState<PaymentMethod>("ALIPAY");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function pay() {
    setBusy(true);
    setError(undefined);
    try {
      const { payment } = await ok(
        api.POST("/v1/me/orders/{orderId}/payments", {
          params: { path: { orderId }, header: { "idempotency-key": newIdempotencyKey() } },
          body: { paymentMethod: method, returnUrl: `${location.origin}/orders?order=${encodeURIComponent(orderId)}` },
        }),
      );
      location.assign(payment!.payUrl!);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  }
  return (
    <Alert tone="info" title={t("orders.awaitingPayment")}>
      <p>
        {t("orders.payPrompt")} <Money fen={priceFen} />
      </p>
      <Select
        label={t("topUp.method")}
        value={method}
        onChange={(e) => setMethod(e.target.value as PaymentMethod)}
        options={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`method.${m}`) }))}
      />
      <Button onClick={pay} busy={busy}>
        {t("orders.pay")}
      </Button>
      {error && <p role="alert">{error}</p>}
    </Alert>
  );
}
