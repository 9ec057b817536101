import { Alert, Button, Card, ErrorAlert, Money, useFormat, useT } from "@omnihall/ui";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ok, kioskApi } from "../api";
import type { KioskStatus } from "../kiosk-status";

/**
 * Cash top-up: the hall opens a cash session and enables the acceptor; notes are counted by billing as they
 * arrive (shown here as counted), and Finish closes the session — credited once — and prints the receipt.
 */
export function CashTopUp({ status }: { status: KioskStatus }) {
  const t = useT();
  const format = useFormat();
  const queries = useQueryClient();
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const open = useMutation({
    mutationFn: () =>
      ok(kioskApi.POST("/v1/me/cash-session", { params: { header: { "idempotency-key": idempotencyKey } } })),
  });
  const close = useMutation({
    mutationFn: () => ok(kioskApi.POST("/v1/me/cash-session/close")),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["balance"] }),
  });
  const { mutate: start } = open;
  useEffect(() => start(), [start]);
  const session = useQuery({
    queryKey: ["cash-session"],
    queryFn: () => ok(kioskApi.GET("/v1/me/cash-session")),
    enabled: open.isSuccess && !close.isPending && !close.isSuccess,
    refetchInterval: 300,
  });

  if (close.data) {
    const result = close.data;
    return (
      <div className="kiosk-stack">
        {result.status === "SUCCEEDED" ? (
          <>
            <Alert tone="success">{t("cash.done", { amount: format.fen(result.creditedFen) })}</Alert>
            <p className="kiosk-amount">{t("cash.balanceAfter", { amount: format.fen(result.balanceAfterFen) })}</p>
            {result.receipt === "PRINTED" ? (
              <p>{t("cash.receiptPrinted")}</p>
            ) : (
              <Alert tone="info">{t("cash.receiptFailed", { state: t(`state.${result.receipt}`) })}</Alert>
            )}
          </>
        ) : (
          <Alert tone="info">{t("cash.nothing")}</Alert>
        )}
      </div>
    );
  }

  const counted = session.data ?? open.data;
  return (
    <div className="kiosk-stack">
      <h1>{t("cash.title")}</h1>
      {open.isSuccess && <p>{t("cash.insert")}</p>}
      {!status.functions.receipts && <Alert tone="info">{t("cash.noReceipt")}</Alert>}
      <Card title={t("cash.counted")}>
        <p className="kiosk-amount" aria-live="polite" data-testid="cash-counted">
          <Money fen={counted?.countedFen ?? 0} /> · {t("cash.notes", { count: counted?.notes ?? 0 })}
        </p>
        {counted?.counting && <p role="status">{t("cash.counting")}</p>}
      </Card>
      <Button
        className="kiosk-big"
        disabled={!open.isSuccess || counted?.counting}
        busy={close.isPending}
        onClick={() => close.mutate()}
      >
        {t("cash.finish")}
      </Button>
      <ErrorAlert error={open.error ?? close.error} />
    </div>
  );
}
