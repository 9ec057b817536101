import { Alert, Card, ErrorAlert, Loading, Money, useLocale, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, ok } from "../api";
import { CampaignBanner } from "../campaigns";
import { Link } from "../router";
import { useMe } from "../session";
import { OfferingRow, pick, useBuyFlow, useOfferings } from "../shop";
import { BucketMeters, useUsage } from "../usage";

/** Balance, what is left of data and voice, and a few packs on sale now. */
export function HomePage() {
  const t = useT();
  const { locale } = useLocale();
  const me = useMe();
  const balance = useQuery({ queryKey: ["balance"], queryFn: () => ok(api.GET("/v1/me/balance")) });
  const usage = useUsage();
  const products = useQuery({ queryKey: ["products"], queryFn: () => ok(api.GET("/v1/me/products")) });
  const plan = products.data?.products.find((p) => p.offeringCode === me.data?.planCode);
  const offers = useOfferings("DATA_PACK");
  const buy = useBuyFlow();
  const [buying, setBuying] = useState<string>();
  const mainBuckets = usage.data?.buckets.filter((b) => b.unit === "DATA_KB" || b.unit === "VOICE_SECONDS") ?? [];
  return (
    <>
      <h1>{t("home.hello", { name: me.data?.displayName ?? "" })}</h1>
      <CampaignBanner />
      <div className="oh-grid">
        <Card title={t("home.balance")} actions={<Link to="/top-up">{t("nav.topUp")}</Link>}>
          {balance.isPending ? (
            <Loading />
          ) : balance.error ? (
            <ErrorAlert error={balance.error} />
          ) : (
            <p className="oh-big" data-testid="balance">
              <Money fen={balance.data.balanceFen ?? 0} />
            </p>
          )}
          <p className="oh-muted">
            {me.data?.msisdn} · {plan ? pick(plan.offeringName, locale) : me.data?.planCode}
          </p>
        </Card>
        <Card title={t("home.remaining")} actions={<Link to="/usage">{t("home.details")}</Link>}>
          {usage.isPending ? (
            <Loading />
          ) : usage.error ? (
            <ErrorAlert error={usage.error} />
          ) : mainBuckets.length === 0 ? (
            <p className="oh-muted">{t("usage.none")}</p>
          ) : (
            <BucketMeters buckets={mainBuckets} />
          )}
        </Card>
      </div>
      {buy.error && <Alert tone="error">{buy.error}</Alert>}
      {buy.done && (
        <Alert tone="success">
          {t("buy.done", { name: pick(buy.done.offeringName, locale), orderId: buy.done.orderId })}
        </Alert>
      )}
      <Card title={t("home.offers")} actions={<Link to="/packs">{t("home.allPacks")}</Link>}>
        {offers.isPending ? (
          <Loading />
        ) : offers.error ? (
          <ErrorAlert error={offers.error} />
        ) : (
          <ul className="oh-list">
            {offers.data.offerings.slice(0, 3).map((o) => (
              <OfferingRow
                key={o.code}
                offering={o}
                busy={buy.busy && buying === o.code}
                onBuy={() => {
                  setBuying(o.code);
                  void buy.start(o);
                }}
              />
            ))}
          </ul>
        )}
      </Card>
      {buy.dialog}
    </>
  );
}
