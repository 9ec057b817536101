import { Alert, Button, Card, Money, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { ok, kioskApi } from "../api";
import type { KioskStatus } from "../kiosk-status";

export type Task = "cash" | "bills" | "dataPacks" | "roamingPacks" | "forwarding";

/** The identified subscriber's start: balance, and the functions this kiosk can offer now. */
export function MenuScreen({
  status,
  maskedMsisdn,
  onTask,
}: {
  status: KioskStatus;
  maskedMsisdn: string;
  onTask(task: Task): void;
}) {
  const t = useT();
  const balance = useQuery({ queryKey: ["balance"], queryFn: () => ok(kioskApi.GET("/v1/me/balance")) });
  return (
    <div className="kiosk-stack">
      <h1>{t("menu.hello", { msisdn: maskedMsisdn })}</h1>
      <Card title={t("menu.balance")}>
        <p className="kiosk-amount" data-testid="balance">
          {balance.data ? <Money fen={balance.data.balanceFen} /> : "…"}
        </p>
      </Card>
      <div className="kiosk-tiles">
        <Button className="kiosk-big" disabled={!status.functions.cashTopUp} onClick={() => onTask("cash")}>
          {t("menu.cash")}
        </Button>
        <Button className="kiosk-big" onClick={() => onTask("bills")}>
          {t("menu.bills")}
        </Button>
        <Button className="kiosk-big" onClick={() => onTask("dataPacks")}>
          {t("menu.dataPacks")}
        </Button>
        <Button className="kiosk-big" onClick={() => onTask("roamingPacks")}>
          {t("menu.roamingPacks")}
        </Button>
        <Button className="kiosk-big" onClick={() => onTask("forwarding")}>
          {t("menu.forwarding")}
        </Button>
      </div>
      {!status.functions.cashTopUp && <Alert tone="info">{t("menu.cashUnavailable")}</Alert>}
    </div>
  );
}
