import { Button, Layout, Loading, useLocale, useT } from "@omnihall/ui";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, type ReactElement } from "react";
import { api, setApiLocale } from "./api";
import { ErrorAlert } from "./errors";
import { HomePage } from "./pages/HomePage";
import { LoginPage } from "./pages/LoginPage";
import { Link, useRouter } from "./router";
import { useMe } from "./session";

/** The pages, in the order of the navigation. */
export const PAGES: { path: string; title: string; page: () => ReactElement }[] = [
  { path: "/", title: "nav.home", page: HomePage },
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
