import {
  Alert,
  Button,
  Card,
  ConfirmDialog,
  DateText,
  ErrorAlert,
  Loading,
  useErrorText,
  useFormat,
  useLocale,
  useT,
} from "@omnihall/ui";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, newIdempotencyKey, ok } from "../api";
import { pick, useAllowanceText } from "../shop";

/** What the subscriber holds; unsubscribe with a confirmation (the order engine says when it takes effect). */
export function SubscriptionsPage() {
  const t = useT();
  const { locale } = useLocale();
  const errorText = useErrorText();
  const allowanceText = useAllowanceText();
  const format = useFormat();
  const queries = useQueryClient();
  const products = useQuery({ queryKey: ["products"], queryFn: () => ok(api.GET("/v1/me/products")) });
  const [leaving, setLeaving] = useState<{ productId: string; name: string }>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string }>();

  async function unsubscribe() {
    if (!leaving) return;
    setBusy(true);
    try {
      const { product } = await ok(
        api.POST("/v1/me/products/{productId}/unsubscription", {
          params: { path: { productId: leaving.productId }, header: { "idempotency-key": newIdempotencyKey() } },
        }),
      );
      setMessage({
        tone: "success",
        text:
          product.status === "ENDED"
            ? t("subs.ended", { name: leaving.name })
            : t("subs.endsAt", { name: leaving.name, date: product.endTime ? format.date(product.endTime) : "" }),
      });
      await queries.invalidateQueries({ queryKey: ["products"] });
    } catch (e) {
      setMessage({ tone: "error", text: errorText(e) });
    } finally {
      setBusy(false);
      setLeaving(undefined);
    }
  }

  return (
    <>
      <h1>{t("nav.subscriptions")}</h1>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <Card>
        {products.isPending ? (
          <Loading />
        ) : products.error ? (
          <ErrorAlert error={products.error} />
        ) : products.data.products.length === 0 ? (
          <p className="oh-muted">{t("subs.none")}</p>
        ) : (
          <ul className="oh-list" aria-label={t("nav.subscriptions")}>
            {products.data.products.map((p) => {
              const name = pick(p.offeringName, locale);
              return (
                <li key={p.productId} className="wh-offer" data-testid="subscription">
                  <div>
                    <div className="wh-offer__name">{name}</div>
                    <div className="oh-muted">{p.allowances.map(allowanceText).join(" · ")}</div>
                    <div className="oh-muted">
                      {p.startTime && (
                        <>
                          {t("subs.since")} <DateText value={p.startTime} />
                        </>
                      )}
                      {p.endTime && (
                        <>
                          {" · "}
                          {t("subs.until")} <DateText value={p.endTime} />
                        </>
                      )}
                      {p.unsubscribeRequested && ` · ${t("subs.leaving")}`}
                    </div>
                  </div>
                  {!p.unsubscribeRequested && p.status === "ACTIVE" && (
                    <Button
                      variant="secondary"
                      onClick={() => setLeaving({ productId: p.productId, name })}
                      aria-label={t("subs.unsubscribeNamed", { name })}
                    >
                      {t("subs.unsubscribe")}
                    </Button>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </Card>
      <ConfirmDialog
        open={!!leaving}
        title={t("subs.confirmTitle")}
        confirmLabel={t("subs.unsubscribe")}
        busy={busy}
        onConfirm={unsubscribe}
        onCancel={() => setLeaving(undefined)}
      >
        <p>{t("subs.confirmText", { name: leaving?.name ?? "" })}</p>
      </ConfirmDialog>
    </>
  );
}
