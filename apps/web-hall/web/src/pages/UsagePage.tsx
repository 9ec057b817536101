import { Card, DateText, ErrorAlert, formatDataKb, Loading, useFormat, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { api, ok } from "../api";
import { BucketMeters, useUsage } from "../usage";

/** Every allowance left this month, and the detail records of the last 31 days. */
export function UsagePage() {
  const t = useT();
  const format = useFormat();
  const usage = useUsage();
  const records = useQuery({ queryKey: ["usage-records"], queryFn: () => ok(api.GET("/v1/me/usage/records")) });
  const daily = useQuery({ queryKey: ["usage-daily"], queryFn: () => ok(api.GET("/v1/me/usage/daily")) });
  const quantity = (unit: string, q: number) =>
    unit === "DATA_KB"
      ? formatDataKb(q)
      : unit === "VOICE_SECONDS"
        ? t("usage.seconds", { seconds: q })
        : t("allowance.count", { count: q });
  return (
    <>
      <h1>{t("nav.usage")}</h1>
      <Card title={t("usage.remaining")}>
        {usage.isPending ? (
          <Loading />
        ) : usage.error ? (
          <ErrorAlert error={usage.error} />
        ) : usage.data.buckets.length ? (
          <BucketMeters buckets={usage.data.buckets} />
        ) : (
          <p className="oh-muted">{t("usage.none")}</p>
        )}
      </Card>
      <Card title={t("usage.byDay")}>
        {daily.isPending ? (
          <Loading />
        ) : daily.error ? (
          <ErrorAlert error={daily.error} />
        ) : daily.data.days.length === 0 ? (
          <p className="oh-muted">{t("usage.noRecords")}</p>
        ) : (
          <div className="wh-scroll">
            <table className="oh-table" data-testid="usage-by-day">
              <thead>
                <tr>
                  <th scope="col">{t("usage.date")}</th>
                  <th scope="col">{t("usage.kind")}</th>
                  <th scope="col" className="oh-num">
                    {t("usage.quantity")}
                  </th>
                  <th scope="col" className="oh-num">
                    {t("usage.roaming")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {daily.data.days.map((d) => (
                  <tr key={`${d.date} ${d.unit}`}>
                    <td>{format.day(d.date)}</td>
                    <td>{t(`unit.${d.unit}`)}</td>
                    <td className="oh-num">{quantity(d.unit, d.quantity)}</td>
                    <td className="oh-num">{d.roamingQuantity ? quantity(d.unit, d.roamingQuantity) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card title={t("usage.records")}>
        {records.isPending ? (
          <Loading />
        ) : records.error ? (
          <ErrorAlert error={records.error} />
        ) : records.data.records.length === 0 ? (
          <p className="oh-muted">{t("usage.noRecords")}</p>
        ) : (
          <div className="wh-scroll">
            <table className="oh-table">
              <thead>
                <tr>
                  <th scope="col">{t("usage.time")}</th>
                  <th scope="col">{t("usage.kind")}</th>
                  <th scope="col" className="oh-num">
                    {t("usage.quantity")}
                  </th>
                  <th scope="col">{t("usage.where")}</th>
                </tr>
              </thead>
              <tbody>
                {records.data.records.map((r) => (
                  <tr key={r.recordId}>
                    <td>
                      <DateText value={r.usageTime} withTime />
                    </td>
                    <td>{t(`unit.${r.unit}`)}</td>
                    <td className="oh-num">{quantity(r.unit, r.quantity)}</td>
                    <td>{r.roamingCountryCode || r.provinceCode}</td>
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
