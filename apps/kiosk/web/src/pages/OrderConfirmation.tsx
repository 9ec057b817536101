import { Alert, ConfirmDialog, ErrorAlert, Money, useLocale, useT } from "@omnihall/ui";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ok, kioskApi } from "../api";

type Order = Awaited<ReturnType<typeof createOrder>>;

function createOrder(offeringCode: string, characteristics?: Record<string, string>) {
  return ok(
    kioskApi.POST("/v1/me/orders", {
      params: { header: { "idempotency-key": crypto.randomUUID() } },
      body: { offeringCode, ...(characteristics && { characteristics }) },
    }),
  );
}

/**
 * Ordering at the kiosk: "Buy" only creates the order (the services price it and check it may be sold); the
 * dialog shows that order's name and price, and only Confirm lets it charge.
 */
export function useOrderConfirmation() {
  const t = useT();
  const { locale } = useLocale();
  const queries = useQueryClient();
  const [pending, setPending] = useState<Order>();
  const [done, setDone] = useState<Order>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  async function order(offeringCode: string, characteristics?: Record<string, string>) {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      setPending(await createOrder(offeringCode, characteristics));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    if (!pending) return;
    setBusy(true);
    try {
      const confirmed = await ok(
        kioskApi.POST("/v1/me/orders/{orderId}/confirm", {
          params: { path: { orderId: pending.orderId }, header: { "idempotency-key": `confirm-${pending.orderId}` } },
        }),
      );
      setDone(confirmed);
      await queries.invalidateQueries({ queryKey: ["balance"] });
    } catch (e) {
      setError(e);
    } finally {
      setPending(undefined);
      setBusy(false);
    }
  }

  const view = (
    <>
      <ConfirmDialog
        open={pending !== undefined}
        title={t("order.confirmTitle")}
        confirmLabel={t("order.confirm")}
        busy={busy}
        onConfirm={() => void confirm()}
        onCancel={() => setPending(undefined)}
      >
        {pending && (
          <dl className="kiosk-order">
            <dt>{t("order.item")}</dt>
            <dd>{pending.name[locale]}</dd>
            <dt>{t("order.price")}</dt>
            <dd data-testid="order-price">
              <Money fen={pending.priceFen} />
            </dd>
          </dl>
        )}
        <p>{t("order.chargeNotice")}</p>
      </ConfirmDialog>
      {done && <Alert tone="success">{t("order.done", { name: done.name[locale], orderId: done.orderId })}</Alert>}
      <ErrorAlert error={error} />
    </>
  );
  return { order, busy, view };
}
