import { Alert, Button, Card, ConfirmDialog, ErrorAlert, Field, Link, Loading, useFormat, useT } from "@omnihall/ui";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, newKey, ok, type Campaign, type Operator } from "../api";
import { ChannelPreview } from "../previews";
import { holds } from "../session";
import { WaveProgress } from "../WaveProgress";

type Action = "submit" | "approve" | "reject" | "pause" | "resume" | "end";

/**
 * The steps the lifecycle offers from each state, and the roles that may take them — only to show the right
 * buttons: the campaign service decides (roles, province, the author never approving their own) and its refusal
 * is shown as it words it.
 */
const OFFERED: Record<string, Array<{ action: Action; roles: string[] }>> = {
  DRAFT: [{ action: "submit", roles: ["author"] }],
  PENDING_APPROVAL: [
    { action: "approve", roles: ["approver"] },
    { action: "reject", roles: ["approver"] },
  ],
  SCHEDULED: [
    { action: "pause", roles: ["author", "approver"] },
    { action: "end", roles: ["author", "approver"] },
  ],
  LIVE: [
    { action: "pause", roles: ["author", "approver"] },
    { action: "end", roles: ["author", "approver"] },
  ],
  PAUSED: [
    { action: "resume", roles: ["author", "approver"] },
    { action: "end", roles: ["author", "approver"] },
  ],
};

export function CampaignPage({ me, campaignId }: { me: Operator; campaignId: string }) {
  const t = useT();
  const format = useFormat();
  const queries = useQueryClient();
  const campaign = useQuery({
    queryKey: ["campaign", campaignId],
    queryFn: () => ok(api.GET("/v1/campaigns/{campaignId}", { params: { path: { campaignId } } })),
    // The scheduler moves campaigns by itself (live at the start time, ended at the end): keep the page current.
    refetchInterval: 10_000,
  });
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState<Action>();
  const [asking, setAsking] = useState<"reject" | "end">();
  const [reason, setReason] = useState("");

  if (campaign.isPending) return <Loading />;
  if (campaign.error) return <ErrorAlert error={campaign.error} />;
  const current: Campaign = campaign.data.campaign;
  const { spec } = current;

  async function run(action: Action) {
    setAsking(undefined);
    setBusy(action);
    setError(undefined);
    setNotice("");
    try {
      const params = { path: { campaignId }, header: { "idempotency-key": newKey() } };
      const updated =
        action === "reject"
          ? await ok(api.POST("/v1/campaigns/{campaignId}/reject", { params, body: { reason } }))
          : // The other steps share one shape: no body, the campaign back.
            await ok(
              api.POST(`/v1/campaigns/{campaignId}/${action}` as "/v1/campaigns/{campaignId}/submit", { params }),
            );
      queries.setQueryData(["campaign", campaignId], updated);
      await queries.invalidateQueries({ queryKey: ["campaigns"] });
      setNotice(t("action.done", { state: t(`state.${updated.campaign.state}`) }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(undefined);
    }
  }

  const offered = (OFFERED[current.state] ?? []).filter(({ roles }) => holds(me, ...roles));
  return (
    <>
      <Card
        title={spec.name}
        actions={
          <span className={`ops-state ops-state--${current.state}`} data-testid="campaign-state">
            {t(`state.${current.state}`)}
          </span>
        }
      >
        {spec.description && <p>{spec.description}</p>}
        {current.state === "DRAFT" && current.rejectionReason && (
          <Alert tone="info">{t("detail.rejected", { reason: current.rejectionReason })}</Alert>
        )}
        <dl className="ops-facts">
          <dt>{t("list.scope")}</dt>
          <dd>{spec.scope.national ? t("edit.national") : spec.scope.provinceCode}</dd>
          <dt>{t("detail.offer")}</dt>
          <dd>
            {spec.offer.offeringCode}
            {spec.offer.priceFen !== undefined && ` · ${format.fen(spec.offer.priceFen)}`}
            {spec.offer.discountBps ? ` · −${spec.offer.discountBps / 100}%` : ""}
          </dd>
          <dt>{t("detail.period")}</dt>
          <dd>
            {format.dateTime(spec.schedule.startTime)} – {format.dateTime(spec.schedule.endTime)} (
            {spec.schedule.timeZone})
          </dd>
          <dt>{t("detail.author")}</dt>
          <dd>{current.authorId}</dd>
          {current.approverId && (
            <>
              <dt>{t("detail.approver")}</dt>
              <dd>{current.approverId}</dd>
            </>
          )}
        </dl>
        <nav className="ops-links" aria-label={t("detail.title")}>
          {current.state === "DRAFT" && holds(me, "author") && (
            <Link to={`/campaigns/${campaignId}/edit`}>{t("detail.edit")}</Link>
          )}
          <Link to={`/campaigns/${campaignId}/funnel`}>{t("detail.funnel")}</Link>
          <Link to={`/campaigns/${campaignId}/audit`}>{t("detail.audit")}</Link>
        </nav>
        <div className="ops-actions">
          {offered.map(({ action }) => (
            <Button
              key={action}
              variant={action === "end" || action === "reject" || action === "pause" ? "danger" : "primary"}
              busy={busy === action}
              onClick={() => (action === "reject" || action === "end" ? setAsking(action) : run(action))}
            >
              {t(`action.${action}`)}
            </Button>
          ))}
        </div>
        <ErrorAlert error={error} />
        {notice && <Alert tone="success">{notice}</Alert>}
      </Card>

      {spec.channels.some((c) => c.channel === "SMS_HALL") &&
        !["DRAFT", "PENDING_APPROVAL"].includes(current.state) && <WaveProgress campaignId={campaignId} />}

      <Card title={t("edit.channels")}>
        <div className="ops-previews">
          {spec.channels.map(({ channel, creative }) => (
            <ChannelPreview key={channel} channel={channel} creative={creative} />
          ))}
        </div>
      </Card>

      <ConfirmDialog
        open={asking === "end"}
        title={t("action.end")}
        confirmLabel={t("action.end")}
        onConfirm={() => run("end")}
        onCancel={() => setAsking(undefined)}
      >
        <p>{t("action.confirmEnd")}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={asking === "reject"}
        title={t("action.reject")}
        confirmLabel={t("action.reject")}
        onConfirm={() => run("reject")}
        onCancel={() => setAsking(undefined)}
      >
        <Field label={t("action.rejectReason")} value={reason} onChange={(e) => setReason(e.target.value)} />
      </ConfirmDialog>
    </>
  );
}
