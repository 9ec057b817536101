import { Card, DateText, ErrorAlert, Loading, Money, useFormat, useLocale, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { api, ok } from "../api";
import { Link, useRouter } from "../router";
import { pick } from "../shop";

/** Monthly bills, newest first; one bill's itemised lines under /bills?bill=<id>. */
export function BillsPage() {
  const t = useT();
  const format = useFormat();
  const { search } = useRouter();
  const chosen = search.get("bill");
  const bills = useQuery({
    queryKey: ["bills"],
    queryFn: () => ok(api.GET("/v1/me/bills", { params: { query: { pageSize: 12 } } })),
  });
  return (
    <>
      <h1>{t("nav.bills")}</h1>
      <Card title={t("bills.byMonth")}>
        {bills.isPending ? (
          <Loading />
        ) : bills.error ? (
          <ErrorAlert error={bills.error} />
        ) : bills.data.bills?.length ? (
          <table className="oh-table">
            <thead>
              <tr>
                <th scope="col">{t("bills.month")}</th>
                <th scope="col">{t("bills.status")}</th>
                <th scope="col" className="oh-num">
                  {t("bills.total")}
                </th>
              </tr>
            </thead>
            <tbody>
              {bills.data.bills.map((b) => (
                <tr key={b.billId}>
                  <td>
                    <Link to={`/bills?bill=${encodeURIComponent(b.billId!)}`}>{format.month(b.billingMonth!)}</Link>
                  </td>
                  <td>{t(`billStatus.${b.status}`)}</td>
                  <td className="oh-num">
                    <Money fen={b.totalFen ?? 0} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="oh-muted">{t("bills.none")}</p>
        )}
      </Card>
      {chosen && <BillDetail billId={chosen} />}
    </>
  );
}

function BillDetail({ billId }: { billId: string }) {
  const t = useT();
  const { locale } = useLocale();
  const format = useFormat();
  const bill = useQuery({
    queryKey: ["bill", billId],
    queryFn: () => ok(api.GET("/v1/me/bills/{billId}", { params: { path: { billId } } })),
  });
  if (bill.isPending) return <Loading />;
  if (bill.error) return <ErrorAlert error={bill.error} />;
  const b = bill.data;
  return (
    <Card title={t("bills.detail", { month: format.month(b.billingMonth!) })}>
      <p className="oh-row">
        {b.issueTime && (
          <span className="oh-muted">
            {t("bills.issued")} <DateText value={b.issueTime} />
          </span>
        )}
        {/* A plain link: a GET with the session cookie, rendered by billing, saved by the browser. */}
        <a href={`/v1/me/bills/${encodeURIComponent(billId)}/document`} download data-testid="bill-pdf">
          {t("bills.pdf")}
        </a>
      </p>
      <div className="wh-scroll">
        <table className="oh-table">
          <thead>
            <tr>
              <th scope="col">{t("bills.item")}</th>
              <th scope="col" className="oh-num">
                {t("bills.amount")}
              </th>
            </tr>
          </thead>
          <tbody>
            {b.lines?.map((line, i) => (
              <tr key={i}>
                <td>{pick({ "zh-CN": line.description?.["zh-CN"] ?? "", en: line.description?.en ?? "" }, locale)}</td>
                <td className="oh-num">
                  <Money fen={line.amountFen ?? 0} />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t("bills.total")}</th>
              <td className="oh-num">
                <strong>
                  <Money fen={b.totalFen ?? 0} />
                </strong>
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
    </Card>
  );
}
