import { Alert, Button, Card, Field, Money, Select, useErrorText, useT } from "@omnihall/ui";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import { api, newIdempotencyKey, ok } from "../api";
import { PAYMENT_METHODS, type PaymentMethod } from "../payments";

const PENDING_KEY = "omnihall.pendingTopUp";
const AMOUNTS_YUAN = [30, 50, 100, 200];

/**
 * Top-up is a payment: billing opens it on the gateway, the page sends the subscriber to the gateway's pay page,
 * and the gateway sends them back here; the balance moves when billing hears from the gateway, so the page
 * follows the payment until it settles. The amount limits and which methods are taken are billing's rules.
 */
export function TopUpPage() {
  const t = useT();
  const errorText = useErrorText();
  const queries = useQueryClient();
  const [amount, setAmount] = useState("50");
  const [method, setMethod] = useState<PaymentMethod>("ALIPAY");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [pendingId] = useState(() => sessionStorage.getItem(PENDING_KEY));

  const followed = useQuery({
    queryKey: ["top-up", pendingId],
    enabled: !!pendingId,
    queryFn: () => ok(api.GET("/v1/me/top-ups/{paymentId}", { params: { path: { paymentId: pendingId! } } })),
    refetchInterval: (query) => (query.state.data?.payment?.status === "PENDING" ? 1000 : false),
  });
  const status = followed.data?.payment?.status;
  useEffect(() => {
    if (status && status !== "PENDING") {
      sessionStorage.removeItem(PENDING_KEY);
      void queries.invalidateQueries({ queryKey: ["balance"] });
    }
  }, [status, queries]);

  async function pay(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      // Yuan typed by a person → integer fen, exactly (no floating point): "12.5" → 1250.
      const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(amount.trim());
      if (!match) throw new Error("amount");
      const amountFen = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
      const { payment } = await ok(
        api.POST("/v1/me/top-ups", {
          params: { header: { "idempotency-key": newIdempotencyKey() } },
          body: { amountFen, paymentMethod: method, returnUrl: `${location.origin}/top-up` },
        }),
      );
      sessionStorage.setItem(PENDING_KEY, payment!.paymentId!);
      location.assign(payment!.payUrl!);
    } catch (e) {
      setError(e instanceof Error && e.message === "amount" ? t("topUp.amountInvalid") : errorText(e));
      setBusy(false);
    }
  }

  return (
    <>
      <h1>{t("nav.topUp")}</h1>
      {followed.data && (
        <Alert tone={status === "SUCCEEDED" ? "success" : status === "PENDING" ? "info" : "error"}>
          <span data-testid="top-up-status">{t(`payment.${status}`)}</span>{" "}
          <Money fen={followed.data.payment?.amountFen ?? 0} />
        </Alert>
      )}
      <Card title={t("topUp.new")}>
        <form onSubmit={pay} noValidate>
          <div className="oh-row" role="group" aria-label={t("topUp.quick")}>
            {AMOUNTS_YUAN.map((yuan) => (
              <Button
                key={yuan}
                variant="secondary"
                onClick={() => setAmount(String(yuan))}
                aria-pressed={amount === String(yuan)}
              >
                ¥{yuan}
              </Button>
            ))}
          </div>
          <Field
            label={t("topUp.amount")}
            hint={t("topUp.amountHint")}
            inputMode="decimal"
            name="amount"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
          <Select
            label={t("topUp.method")}
            value={method}
            onChange={(e) => setMethod(e.target.value as PaymentMethod)}
            options={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`method.${m}`) }))}
          />
          <Button type="submit" busy={busy}>
            {t("topUp.pay")}
          </Button>
        </form>
        {error && <Alert tone="error">{error}</Alert>}
      </Card>
    </>
  );
}
