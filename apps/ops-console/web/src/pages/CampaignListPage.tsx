import { Card, ErrorAlert, Link, Loading, Select, useFormat, useRouter, useT } from "@omnihall/ui";
import { useInfiniteQuery } from "@tanstack/react-query";
import { api, ok, type Campaign } from "../api";

export const STATE_NAMES = ["DRAFT", "PENDING_APPROVAL", "SCHEDULED", "LIVE", "PAUSED", "ENDED"] as const;
type StateName = (typeof STATE_NAMES)[number];

/** The campaigns the operator may see (the service filters by their province), newest first, by state. */
export function CampaignListPage() {
  const t = useT();
  const format = useFormat();
  const { search, navigate } = useRouter();
  const state = search.get("state") ?? "";
  const campaigns = useInfiniteQuery({
    queryKey: ["campaigns", state],
    initialPageParam: "",
    queryFn: ({ pageParam }) =>
      ok(
        api.GET("/v1/campaigns", {
          params: { query: { ...(state ? { state: [state as StateName] } : {}), pageToken: pageParam || undefined } },
        }),
      ),
    getNextPageParam: (last) => last.nextPageToken || undefined,
  });
  const rows: Campaign[] = campaigns.data?.pages.flatMap((page) => page.campaigns) ?? [];

  return (
    <Card title={t("list.title")}>
      <Select
        label={t("list.state")}
        value={state}
        onChange={(e) => navigate(e.target.value ? `/campaigns?state=${e.target.value}` : "/campaigns")}
        options={[
          { value: "", label: t("list.all") },
          ...STATE_NAMES.map((name) => ({ value: name, label: t(`state.${name}`) })),
        ]}
      />
      {campaigns.isPending && <Loading />}
      <ErrorAlert error={campaigns.error} />
      {campaigns.data && rows.length === 0 && <p>{t("list.empty")}</p>}
      {rows.length > 0 && (
        <table className="ops-table">
          <thead>
            <tr>
              <th scope="col">{t("list.name")}</th>
              <th scope="col">{t("list.stateColumn")}</th>
              <th scope="col">{t("list.scope")}</th>
              <th scope="col">{t("list.period")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((campaign) => (
              <tr key={campaign.campaignId}>
                <td>
                  <Link to={`/campaigns/${campaign.campaignId}`}>{campaign.spec.name}</Link>
                </td>
                <td>
                  <span className={`ops-state ops-state--${campaign.state}`}>{t(`state.${campaign.state}`)}</span>
                </td>
                <td>{campaign.spec.scope.national ? t("edit.national") : campaign.spec.scope.provinceCode}</td>
                <td>
                  {format.date(campaign.spec.schedule.startTime)} – {format.date(campaign.spec.schedule.endTime)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {campaigns.hasNextPage && (
        <button type="button" className="oh-button oh-button--secondary" onClick={() => campaigns.fetchNextPage()}>
          {t("list.more")}
        </button>
      )}
    </Card>
  );
}
