import { Button, ErrorAlert, Layout, Link, Loading, useLocale, useRouter, useT } from "@omnihall/ui";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api, setApiLocale, type Operator } from "./api";
import { AuditPage } from "./pages/AuditPage";
import { CampaignEditorPage } from "./pages/CampaignEditorPage";
import { CampaignListPage } from "./pages/CampaignListPage";
import { CampaignPage } from "./pages/CampaignPage";
import { FunnelPage } from "./pages/FunnelPage";
import { LoginPage } from "./pages/LoginPage";
import { useMe } from "./session";

/** Which page a path shows: /campaigns, /campaigns/new, /campaigns/<id>[/edit|/funnel|/audit]. */
function route(path: string): { page: string; campaignId?: string } {
  const [, first, id, sub] = path.split("/");
  if (first !== "campaigns" || !id) return { page: "list" };
  if (id === "new") return { page: "new" };
  return { page: sub === "edit" || sub === "funnel" || sub === "audit" ? sub : "detail", campaignId: id };
}

const TITLES: Record<string, string> = {
  list: "list.title",
  new: "edit.newTitle",
  edit: "edit.editTitle",
  detail: "detail.title",
  funnel: "funnel.title",
  audit: "audit.title",
};

export function App() {
  const t = useT();
  const { locale } = useLocale();
  const me = useMe();
  const { path } = useRouter();
  const queries = useQueryClient();
  useEffect(() => setApiLocale(locale), [locale]);
  const current = route(path);

  useEffect(() => {
    document.title = `${t(me.data ? TITLES[current.page]! : "login.title")} · ${t("app.title")}`;
  }, [t, current.page, me.data]);

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

  return (
    <Layout
      title={t("app.title")}
      actions={
        <>
          <span className="ops-who">{who(me.data, t)}</span>
          <Button variant="link" onClick={logOut}>
            {t("app.logOut")}
          </Button>
        </>
      }
      nav={
        <>
          <Link to="/campaigns">{t("nav.campaigns")}</Link>
          {me.data.roles.includes("author") && <Link to="/campaigns/new">{t("nav.new")}</Link>}
        </>
      }
    >
      <Page me={me.data} page={current.page} campaignId={current.campaignId} />
    </Layout>
  );
}

function who(me: Operator, t: ReturnType<typeof useT>): string {
  return t("hello", {
    name: me.name,
    scope: me.provinceScope === "*" ? t("scope.national") : me.provinceScope,
    roles: me.roles.map((role) => t(`role.${role}`)).join("/"),
  });
}

function Page({ me, page, campaignId }: { me: Operator; page: string; campaignId?: string }) {
  switch (page) {
    case "new":
      return <CampaignEditorPage me={me} />;
    case "edit":
      return <CampaignEditorPage me={me} campaignId={campaignId} />;
    case "detail":
      return <CampaignPage me={me} campaignId={campaignId!} />;
    case "funnel":
      return <FunnelPage campaignId={campaignId!} />;
    case "audit":
      return <AuditPage campaignId={campaignId!} />;
    default:
      return <CampaignListPage />;
  }
}
