import { Button, ErrorAlert, Layout, Loading, useLocale, useT } from "@omnihall/ui";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, type ReactElement } from "react";
import { api, setApiLocale } from "./api";
import { HomePage } from "./pages/HomePage";
import { UsagePage } from "./pages/UsagePage";
import { BillsPage } from "./pages/BillsPage";
import { TopUpPage } from "./pages/TopUpPage";
import { PacksPage } from "./pages/PacksPage";
import { SubscriptionsPage } from "./pages/SubscriptionsPage";
import { OrdersPage } from "./pages/OrdersPage";
import { PointsPage } from "./pages/PointsPage";
import { CallForwardingPage } from "./pages/CallForwardingPage";
import { BroadbandPage } from "./pages/BroadbandPage";
import { ConsentPage } from "./pages/ConsentPage";
import { LoginPage } from "./pages/LoginPage";
import { Link, useRouter } from "./router";
import { useMe } from "./session";

/** The pages, in the order of the navigation. */
export const PAGES: { path: string; title: string; page: () => ReactElement }[] = [
  { path: "/", title: "nav.home", page: HomePage },
  { path: "/usage", title: "nav.usage", page: UsagePage },
  { path: "/bills", title: "nav.bills", page: BillsPage },
  { path: "/top-up", title: "nav.topUp", page: TopUpPage },
  { path: "/packs", title: "nav.packs", page: PacksPage },
  { path: "/subscriptions", title: "nav.subscriptions", page: SubscriptionsPage },
  { path: "/orders", title: "nav.orders", page: OrdersPage },
  { path: "/points", title: "nav.points", page: PointsPage },
  { path: "/call-forwarding", title: "nav.callForwarding", page: CallForwardingPage },
  { path: "/broadband", title: "nav.broadband", page: BroadbandPage },
  { path: "/consent", title: "nav.consent", page: ConsentPage },
];

export function App() {
  const t = useT();
  const { locale } = useLocale();
  const me = useMe();
  const { path } = useRouter();
  const queries = useQueryClient();
  useEffect(() => setApiLocale(locale), [locale]);

  const page = PAGES.find((p) => p.path === path) ?? PAGES[0]!;
  useEffect(() => {
    document.title = `${t(me.data ? page.title : "login.title")} · ${t("app.title")}`;
  }, [t, page, me.data]);

  async function logOut() {
    await api.DELETE("/v1/sessions/current/");
    queries.clear();
    await queries.invalidateQueries({ queryKey: ["me"] });
  }

  if (me.isPending) return <Loading />;
  if (me.error)
    return (
      <Layout title={t("app.title")}>
        <ErrorAlert error={me.error} />
      </Layout>
    );
  if (!me.data)
    return (
      <Layout title={t("app.title")}>
        <LoginPage />
      </Layout>
    );

  const Page = page.page;
  return (
    <Layout
      title={t("app.title")}
      actions={
        <Button variant="link" onClick={logOut}>
          {t("app.logOut")}
        </Button>
      }
      nav={PAGES.map((p) => (
        <Link key={p.path} to={p.path}>
          {t(p.title)}
        </Link>
      ))}
    >
      <Page />
    </Layout>
  );
}
