import { ErrorAlert, Loading, Money, useFormat, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { ok, kioskApi } from "../api";

/** The last six monthly bills. */
export function BillsScreen() {
  const t = useT();
  const format = useFormat();
  const bills = useQuery({ queryKey: ["bills"], queryFn: () => ok(kioskApi.GET("/v1/me/bills")) });
  if (bills.isPending) return <Loading />;
  return (
    <div className="kiosk-stack">
      <h1>{t("bills.title")}</h1>
      <ErrorAlert error={bills.error} />
      {bills.data?.bills.length === 0 && <p>{t("bills.none")}</p>}
      {bills.data && bills.data.bills.length > 0 && (
        <table className="kiosk-table">
          <thead>
            <tr>
              <th scope="col">{t("bills.month")}</th>
              <th scope="col">{t("bills.total")}</th>
              <th scope="col">{t("bills.status")}</th>
            </tr>
          </thead>
          <tbody>
            {bills.data.bills.map((bill) => (
              <tr key={bill.billId}>
                <td>{format.month(bill.month)}</td>
                <td>
                  <Money fen={bill.totalFen} />
                </td>
                <td>{t(`billStatus.${bill.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
