import { Alert, Button, Card, ErrorAlert, Field, Money, Select, useLocale, useT } from "@omnihall/ui";
import { useState, type FormEvent } from "react";
import { api, ok, type Receipt } from "./api";

/**
 * Taking money for a subscriber: online only, one Idempotency-Key per press of the button (a retry of the same
 * press is the same payment; nothing is queued or resent later). The receipt is billing's answer as it is.
 */
export function PaymentCard({ online }: { online: boolean }) {
  const t = useT();
  const { locale } = useLocale();
  const [msisdn, setMsisdn] = useState("");
  const [yuan, setYuan] = useState("");
  const [method, setMethod] = useState<"CASH" | "BANK_CARD">("CASH");
  const [pan, setPan] = useState("");
  const [expiry, setExpiry] = useState("");
  const [terminalId, setTerminalId] = useState("");
  const [busy, setBusy] = useState(false);
  const [receipt, setReceipt] = useState<Receipt>();
  const [error, setError] = useState<unknown>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setReceipt(undefined);
    try {
      const { subscriber } = await ok(api.GET("/v1/subscribers/{msisdn}", { params: { path: { msisdn } } }));
      const amountFen = Math.round(Number(yuan) * 100);
      const { payment } = await ok(
        api.POST("/v1/payments", {
          params: { header: { "idempotency-key": crypto.randomUUID() } },
          body: {
            subscriberId: subscriber?.subscriberId ?? "",
            amountFen,
            method,
            ...(method === "BANK_CARD" ? { card: { pan, expiry, terminalId } } : { notesFen: [amountFen] }),
          },
        }),
      );
      setReceipt(payment);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t("pay.title")}>
      {!online && <Alert tone="info">{t("pay.offline")}</Alert>}
      <form onSubmit={submit} aria-label={t("pay.title")}>
        <Field
          label={t("pay.msisdn")}
          inputMode="tel"
          value={msisdn}
          onChange={(e) => setMsisdn(e.target.value)}
          required
        />
        <Field
          label={t("pay.amount")}
          inputMode="decimal"
          value={yuan}
          onChange={(e) => setYuan(e.target.value)}
          required
        />
        <Select
          label={t("pay.method")}
          value={method}
          onChange={(e) => setMethod(e.target.value as "CASH" | "BANK_CARD")}
          options={[
            { value: "CASH", label: t("pay.cash") },
            { value: "BANK_CARD", label: t("pay.card") },
          ]}
        />
        {method === "BANK_CARD" && (
          <>
            <Field
              label={t("pay.pan")}
              inputMode="numeric"
              value={pan}
              onChange={(e) => setPan(e.target.value)}
              required
            />
            <Field label={t("pay.expiry")} value={expiry} onChange={(e) => setExpiry(e.target.value)} required />
            <Field
              label={t("pay.terminal")}
              value={terminalId}
              onChange={(e) => setTerminalId(e.target.value)}
              required
            />
          </>
        )}
        <Button type="submit" busy={busy} disabled={!online}>
          {t("pay.submit")}
        </Button>
      </form>
      <ErrorAlert error={error} />
      {receipt && (
        <section aria-label={t("receipt.title")} className="mh-receipt">
          <Alert tone={receipt.status === "SUCCEEDED" ? "success" : "error"} title={t(`receipt.${receipt.status}`)}>
            {receipt.status !== "SUCCEEDED" &&
              (locale === "en" ? receipt.failureMessages?.en : receipt.failureMessages?.["zh-CN"])}
            {receipt.receiptBySms && t("receipt.sms")}
          </Alert>
          <dl className="mh-totals">
            <dt>{t("receipt.amount")}</dt>
            <dd>
              <Money fen={receipt.amountFen ?? 0} />
            </dd>
            <dt>{t("receipt.balance")}</dt>
            <dd>
              <Money fen={receipt.balanceAfterFen ?? 0} />
            </dd>
            <dt>{t("receipt.paymentId")}</dt>
            <dd>{receipt.paymentId}</dd>
            <dt>{t("receipt.reference")}</dt>
            <dd>{receipt.providerReference || "—"}</dd>
          </dl>
        </section>
      )}
    </Card>
  );
}
