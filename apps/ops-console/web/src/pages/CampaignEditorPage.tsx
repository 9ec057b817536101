import { Alert, Button, Card, ErrorAlert, Field, Loading, Select, useFormat, useRouter, useT } from "@omnihall/ui";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from "react";
import { api, newKey, ok, type Creative, type Operator } from "../api";
import { useDebounced } from "../debounced";
import {
  audienceOf,
  CHANNELS,
  CREATIVE_FIELDS,
  draftOf,
  newDraft,
  scopeOf,
  specOf,
  type ChannelName,
  type Draft,
} from "../form";
import { ChannelPreview } from "../previews";

/** The draft's fields a text box or a list edits. */
type TextField = { [K in keyof Draft]: Draft[K] extends string ? K : never }[keyof Draft];

const FIELD_LABELS: Record<string, string> = {
  webBannerTitle: "edit.bannerTitle",
  webBannerText: "edit.bannerText",
  smsText: "edit.smsText",
  kioskAttractTitle: "edit.attractTitle",
  kioskAttractText: "edit.attractText",
  agentPitch: "edit.pitch",
};

/**
 * Writing a campaign (new, or a DRAFT's edit): offer from the catalog, audience with its size estimated live by
 * the campaign service, each hall's creative with a live preview, schedule, caps, holdout. Saving sends the whole
 * definition; the campaign service says what is wrong, field by field, in its own words.
 */
export function CampaignEditorPage({ me, campaignId }: { me: Operator; campaignId?: string }) {
  const existing = useQuery({
    queryKey: ["campaign", campaignId],
    queryFn: () => ok(api.GET("/v1/campaigns/{campaignId}", { params: { path: { campaignId: campaignId! } } })),
    enabled: Boolean(campaignId),
  });
  if (campaignId && existing.isPending) return <Loading />;
  if (existing.error) return <ErrorAlert error={existing.error} />;
  const campaign = existing.data?.campaign;
  return (
    <Editor
      key={campaign?.etag ?? "new"}
      me={me}
      initial={campaign ? draftOf(campaign.spec) : newDraft(me)}
      campaignId={campaign?.campaignId}
      etag={campaign?.etag}
    />
  );
}

function Editor({
  me,
  initial,
  campaignId,
  etag,
}: {
  me: Operator;
  initial: Draft;
  campaignId?: string;
  etag?: string;
}) {
  const t = useT();
  const format = useFormat();
  const { navigate } = useRouter();
  const queries = useQueryClient();
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  // One key per save the user asks for; a retry of the same answer-less save reuses it.
  const key = useRef(newKey());
  useEffect(() => {
    key.current = newKey();
  }, [draft]);

  const set = <K extends keyof Draft>(field: K, value: Draft[K]) => setDraft((d) => ({ ...d, [field]: value }));
  /** A text input's value and change handler for one field of the draft. */
  const text = (field: TextField) => ({
    value: draft[field],
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
      set(field, e.target.value),
  });
  const setCreative = (channel: ChannelName, creative: Creative) =>
    setDraft((d) => ({ ...d, channels: { ...d.channels, [channel]: { ...d.channels[channel], creative } } }));
  const toggle = (channel: ChannelName, on: boolean) =>
    setDraft((d) => ({ ...d, channels: { ...d.channels, [channel]: { ...d.channels[channel], on } } }));

  const offerings = useQuery({ queryKey: ["offerings"], queryFn: () => ok(api.GET("/v1/offerings")) });

  // The audience estimate follows the audience as it is typed (one call when typing pauses).
  const estimateInput = useDebounced(
    JSON.stringify({ audience: audienceOf(draft), scope: scopeOf(draft), holdoutPercent: Number(draft.holdout) || 0 }),
  );
  const estimate = useQuery({
    queryKey: ["estimate", estimateInput],
    queryFn: () => ok(api.POST("/v1/audience-estimates", { body: JSON.parse(estimateInput) })),
    retry: false,
    // The last count stays on screen while the next one is asked.
    placeholderData: keepPreviousData,
  });

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const headers = { "idempotency-key": key.current };
      const spec = specOf(draft);
      const answer = campaignId
        ? await ok(
            api.PUT("/v1/campaigns/{campaignId}", {
              params: { path: { campaignId }, header: headers },
              body: { spec, etag },
            }),
          )
        : await ok(api.POST("/v1/campaigns", { params: { header: headers }, body: { spec } }));
      await queries.invalidateQueries({ queryKey: ["campaigns"] });
      queries.setQueryData(["campaign", answer.campaign.campaignId], answer);
      navigate(`/campaigns/${answer.campaign.campaignId}`);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const national = me.provinceScope === "*";
  return (
    <form onSubmit={save} aria-label={t(campaignId ? "edit.editTitle" : "edit.newTitle")} className="ops-editor">
      <h1>{t(campaignId ? "edit.editTitle" : "edit.newTitle")}</h1>
      <Card title={t("edit.basics")}>
        <Field label={t("edit.name")} {...text("name")} required />
        <Field label={t("edit.description")} {...text("description")} />
      </Card>

      <Card title={t("edit.offer")}>
        <Select
          label={t("edit.offering")}
          {...text("offeringCode")}
          options={[
            { value: "", label: "—" },
            ...(offerings.data?.offerings ?? []).map((o) => ({
              value: o.code,
              label: `${format.fen(o.priceFen)} · ${o.name.zhCn} (${o.code})`,
            })),
          ]}
        />
        <ErrorAlert error={offerings.error} />
        <Field label={t("edit.priceYuan")} inputMode="decimal" {...text("priceYuan")} />
        <Field label={t("edit.discountPercent")} inputMode="decimal" {...text("discountPercent")} />
      </Card>

      <Card title={t("edit.audience")}>
        <fieldset className="ops-fieldset">
          <legend>{t("edit.scope")}</legend>
          <label className="ops-check">
            <input
              type="checkbox"
              checked={draft.national}
              disabled={!national}
              onChange={(e) => set("national", e.target.checked)}
            />
            {t("edit.national")}
          </label>
          {!draft.national && <Field label={t("list.scope")} readOnly={!national} {...text("provinceCode")} />}
        </fieldset>
        <Field label={t("edit.provinces")} {...text("provinces")} />
        <Field label={t("edit.cities")} {...text("cities")} />
        <Field label={t("edit.plans")} {...text("plans")} />
        <Field label={t("edit.minTenure")} type="number" min={0} {...text("minTenure")} />
        <Field label={t("edit.spendMin")} inputMode="decimal" {...text("spendMinYuan")} />
        <Field label={t("edit.spendMax")} inputMode="decimal" {...text("spendMaxYuan")} />
        <label className="ops-check">
          <input type="checkbox" checked={draft.consent} onChange={(e) => set("consent", e.target.checked)} />
          {t("edit.consent")}
        </label>
        <section className="ops-estimate" aria-label={t("edit.estimate")} aria-live="polite">
          <h3>{t("edit.estimate")}</h3>
          {estimate.data && (
            <dl>
              <dt>{t("edit.matching")}</dt>
              <dd data-testid="estimate-matching">{estimate.data.matching.toLocaleString()}</dd>
              <dt>{t("edit.reachable")}</dt>
              <dd data-testid="estimate-reachable">{estimate.data.reachable.toLocaleString()}</dd>
              <dt>{t("edit.holdoutCount")}</dt>
              <dd>{estimate.data.holdout.toLocaleString()}</dd>
            </dl>
          )}
          {estimate.data?.factsTime && <p>{t("edit.factsTime", { time: format.dateTime(estimate.data.factsTime) })}</p>}
          <ErrorAlert error={estimate.error} />
        </section>
      </Card>

      <Card title={t("edit.channels")}>
        {CHANNELS.map((channel) => (
          <ChannelEditor
            key={channel}
            channel={channel}
            on={draft.channels[channel].on}
            creative={draft.channels[channel].creative}
            onToggle={(on) => toggle(channel, on)}
            onChange={(creative) => setCreative(channel, creative)}
          />
        ))}
      </Card>

      <Card title={t("edit.schedule")}>
        <Field label={t("edit.start")} type="datetime-local" {...text("start")} />
        <Field label={t("edit.end")} type="datetime-local" {...text("end")} />
        <Field label={t("edit.timeZone")} {...text("timeZone")} />
        <Field label={t("edit.frequency")} type="number" min={0} {...text("frequency")} />
        <Field label={t("edit.quantity")} type="number" min={0} {...text("quantity")} />
        <Field label={t("edit.budget")} inputMode="decimal" {...text("budgetYuan")} />
        <Field label={t("edit.holdout")} type="number" min={0} max={50} {...text("holdout")} />
      </Card>

      <ErrorAlert error={error} />
      {busy && <Alert tone="info">{t("ui.loading")}</Alert>}
      <Button type="submit" busy={busy}>
        {t("edit.save")}
      </Button>
    </form>
  );
}

function ChannelEditor({
  channel,
  on,
  creative,
  onToggle,
  onChange,
}: {
  channel: ChannelName;
  on: boolean;
  creative: Creative;
  onToggle(on: boolean): void;
  onChange(creative: Creative): void;
}) {
  const t = useT();
  return (
    <fieldset className="ops-fieldset ops-channel">
      <legend>
        <label className="ops-check">
          <input type="checkbox" checked={on} onChange={(e) => onToggle(e.target.checked)} />
          {t(`channel.${channel}`)}
        </label>
      </legend>
      {on && (
        <div className="ops-channel__body">
          <div>
            {CREATIVE_FIELDS[channel].map((field) => {
              const value = creative[field] ?? { zhCn: "", en: "" };
              return (
                <div key={field} className="ops-pair">
                  <Field
                    label={`${t(FIELD_LABELS[field]!)}（${t("edit.zh")}）`}
                    value={value.zhCn}
                    onChange={(e) => onChange({ ...creative, [field]: { ...value, zhCn: e.target.value } })}
                  />
                  <Field
                    label={`${t(FIELD_LABELS[field]!)}（${t("edit.en")}）`}
                    value={value.en}
                    lang="en"
                    onChange={(e) => onChange({ ...creative, [field]: { ...value, en: e.target.value } })}
                  />
                </div>
              );
            })}
            {channel === "SMS_HALL" && (
              <Field
                label={t("edit.keyword")}
                value={creative.smsReplyKeyword ?? ""}
                onChange={(e) => onChange({ ...creative, smsReplyKeyword: e.target.value.toUpperCase() })}
              />
            )}
          </div>
          <ChannelPreview channel={channel} creative={creative} />
        </div>
      )}
    </fieldset>
  );
}
