import {
  Alert,
  Button,
  Card,
  ConfirmDialog,
  DateText,
  ErrorAlert,
  Loading,
  Money,
  useErrorText,
  useLocale,
  useT,
} from "@omnihall/ui";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, newIdempotencyKey, ok } from "../api";
import { pick } from "../shop";

/** Points balance and rewards to redeem (billing checks points, stock and province). */
export function PointsPage() {
  const t = useT();
  const { locale } = useLocale();
  const errorText = useErrorText();
  const queries = useQueryClient();
  const points = useQuery({ queryKey: ["points"], queryFn: () => ok(api.GET("/v1/me/points")) });
  const rewards = useQuery({ queryKey: ["rewards"], queryFn: () => ok(api.GET("/v1/me/rewards")) });
  const [choice, setChoice] = useState<{ code: string; name: string; cost: number }>();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string }>();

  async function redeem() {
    if (!choice) return;
    setBusy(true);
    try {
      const { redemption } = await ok(
        api.POST("/v1/me/redemptions", {
          params: { header: { "idempotency-key": newIdempotencyKey() } },
          body: { rewardCode: choice.code },
        }),
      );
      setMessage({
        tone: "success",
        text: t("points.redeemed", { name: choice.name, left: redemption.pointsBalanceAfter ?? 0 }),
      });
      await queries.invalidateQueries({ queryKey: ["points"] });
      await queries.invalidateQueries({ queryKey: ["balance"] });
    } catch (e) {
      setMessage({ tone: "error", text: errorText(e) });
    } finally {
      setBusy(false);
      setChoice(undefined);
    }
  }

  return (
    <>
      <h1>{t("nav.points")}</h1>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <Card title={t("points.balance")}>
        {points.isPending ? (
          <Loading />
        ) : points.error ? (
          <ErrorAlert error={points.error} />
        ) : (
          <>
            <p className="oh-big">{t("points.count", { points: points.data.points })}</p>
            {points.data.expiringPoints > 0 && points.data.expireTime && (
              <p className="oh-muted">
                {t("points.expiring", { points: points.data.expiringPoints })}{" "}
                <DateText value={points.data.expireTime} />
              </p>
            )}
          </>
        )}
      </Card>
      <Card title={t("points.rewards")}>
        {rewards.isPending ? (
          <Loading />
        ) : rewards.error ? (
          <ErrorAlert error={rewards.error} />
        ) : (
          <ul className="oh-list">
            {rewards.data.rewards.map((r) => {
              const name = pick(r.name, locale);
              return (
                <li key={r.code} className="wh-offer">
                  <div>
                    <div className="wh-offer__name">{name}</div>
                    <div className="oh-muted">
                      {t("points.count", { points: r.pointsCost })}
                      {r.kind === "BALANCE_CREDIT" && r.creditFen ? (
                        <>
                          {" → "}
                          <Money fen={r.creditFen} />
                        </>
                      ) : null}
                    </div>
                  </div>
                  <Button
                    variant="secondary"
                    onClick={() => setChoice({ code: r.code, name, cost: r.pointsCost })}
                    aria-label={t("points.redeemNamed", { name })}
                  >
                    {t("points.redeem")}
                  </Button>
                </li>
              );
            })}
          </ul>
        )}
      </Card>
      <ConfirmDialog
        open={!!choice}
        title={t("points.confirmTitle")}
        busy={busy}
        onConfirm={redeem}
        onCancel={() => setChoice(undefined)}
      >
        <p>{t("points.confirmText", { name: choice?.name ?? "", points: choice?.cost ?? 0 })}</p>
      </ConfirmDialog>
    </>
  );
}
