import { Card, ErrorAlert, Link, Loading, useFormat, useLocale, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { api, ok, type Funnel } from "../api";
import { FunnelChart } from "../FunnelChart";

const STEPS = ["impressions", "clicks", "replies", "ordersPlaced", "ordersCompleted"] as const;

/** The campaign's funnel per channel, live (refreshed every few seconds), as charts and as a table. */
export function FunnelPage({ campaignId }: { campaignId: string }) {
  const t = useT();
  const format = useFormat();
  const { locale } = useLocale();
  const funnel = useQuery({
    queryKey: ["funnel", campaignId],
    queryFn: () => ok(api.GET("/v1/campaigns/{campaignId}/funnel", { params: { path: { campaignId } } })),
    refetchInterval: 5_000,
  });
  const rows = useMemo(() => (funnel.data ? [...funnel.data.channels, funnel.data.total] : []), [funnel.data]);
  const categories = useMemo(() => funnel.data?.channels.map((c) => t(`channel.${c.channel}`)) ?? [], [funnel.data, t]);
  const series = useMemo(
    () =>
      STEPS.map((step) => ({
        name: t(`funnel.${step}`),
        values: funnel.data?.channels.map((c) => c[step]) ?? [],
      })),
    [funnel.data, t],
  );

  return (
    <>
      <Link to={`/campaigns/${campaignId}`}>{t("back")}</Link>
      <Card title={t("funnel.title")}>
        {funnel.isPending && <Loading />}
        <ErrorAlert error={funnel.error} />
        {funnel.data && (
          <>
            <FunnelChart label={t("funnel.chart")} categories={categories} series={series} locale={locale} />
            <FunnelTable rows={rows} />
            <Lift funnel={funnel.data} />
            {funnel.data.asOfTime && <p>{t("funnel.asOf", { time: format.dateTime(funnel.data.asOfTime) })}</p>}
          </>
        )}
      </Card>
    </>
  );
}

function FunnelTable({ rows }: { rows: Funnel["channels"] }) {
  const t = useT();
  const format = useFormat();
  return (
    <table className="ops-table">
      <caption className="oh-visually-hidden">{t("funnel.title")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("funnel.channel")}</th>
          {STEPS.map((step) => (
            <th scope="col" key={step}>
              {t(`funnel.${step}`)}
            </th>
          ))}
          <th scope="col">{t("funnel.ordersLost")}</th>
          <th scope="col">{t("funnel.revenue")}</th>
          <th scope="col">{t("funnel.optOuts")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.channel}>
            <th scope="row">{row.channel === "UNSPECIFIED" ? t("funnel.total") : t(`channel.${row.channel}`)}</th>
            {STEPS.map((step) => (
              <td key={step}>{row[step]}</td>
            ))}
            <td>{row.ordersLost}</td>
            <td>{format.fen(row.revenueFen ?? 0)}</td>
            <td>{row.optOuts ?? 0}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const percent = (bps: number) => `${(bps / 100).toFixed(2)}%`;

function Lift({ funnel }: { funnel: Funnel }) {
  const t = useT();
  const lift = funnel.lift;
  if (!lift) return null;
  return (
    <section aria-label={t("funnel.lift")}>
      <h3>{t("funnel.lift")}</h3>
      <p>
        {t("funnel.contacted", {
          count: lift.contactedSubscribers ?? 0,
          converted: lift.contactedConverted ?? 0,
          rate: percent(lift.contactedConversionBps ?? 0),
        })}
      </p>
      <p>
        {t("funnel.holdout", {
          count: lift.holdoutSubscribers ?? 0,
          converted: lift.holdoutConverted ?? 0,
          rate: percent(lift.holdoutConversionBps ?? 0),
        })}
      </p>
      <p>
        <strong>{t("funnel.liftValue", { lift: percent(lift.liftBps ?? 0) })}</strong>
      </p>
    </section>
  );
}
