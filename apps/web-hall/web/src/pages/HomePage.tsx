import { Card, Loading, Money, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { api, ok } from "../api";
import { ErrorAlert } from "../errors";
import { useMe } from "../session";

export function HomePage() {
  const t = useT();
  const me = useMe();
  const balance = useQuery({ queryKey: ["balance"], queryFn: () => ok(api.GET("/v1/me/balance")) });
  return (
    <>
      <h1>{t("home.hello", { name: me.data?.displayName ?? "" })}</h1>
      <Card title={t("home.balance")}>
        {balance.isPending ? (
          <Loading />
        ) : balance.error ? (
          <ErrorAlert error={balance.error} />
        ) : (
          <p className="oh-big" data-testid="balance">
            <Money fen={balance.data.balanceFen ?? 0} />
          </p>
        )}
      </Card>
    </>
  );
}
