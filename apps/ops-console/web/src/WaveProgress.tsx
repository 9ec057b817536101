import { Card, ErrorAlert, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { api, ApiError, ok } from "./api";

const COUNTS = [
  "counted",
  "handedOver",
  "skippedHoldout",
  "skippedNoConsent",
  "skippedFrequencyCap",
  "refusedByNotify",
];
const DELIVERY = ["pending", "sent", "delivered", "failed", "withdrawn"];

/** The outbound SMS wave as the campaign service counts it, refreshed while it runs; nothing before launch. */
export function WaveProgress({ campaignId }: { campaignId: string }) {
  const t = useT();
  const wave = useQuery({
    queryKey: ["wave", campaignId],
    queryFn: async () => {
      try {
        return await ok(api.GET("/v1/campaigns/{campaignId}/wave", { params: { path: { campaignId } } }));
      } catch (error) {
        // WAVE_NOT_FOUND: not launched yet (or no SMS channel): nothing to show.
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    refetchInterval: 5_000,
  });
  if (wave.error) return <ErrorAlert error={wave.error} />;
  if (!wave.data) return null;
  const progress = wave.data as Record<string, number | string | boolean | undefined>;
  return (
    <Card title={t("wave.title")}>
      <dl className="ops-facts" aria-live="polite">
        <dt>{t("wave.state")}</dt>
        <dd>{t(`wave.${wave.data.state}`)}</dd>
        {[...COUNTS, ...(wave.data.deliveryKnown ? DELIVERY : [])].map((name) => (
          <div key={name} className="ops-facts__row">
            <dt>{t(`wave.${name}`)}</dt>
            <dd>{Number(progress[name] ?? 0).toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      {!wave.data.deliveryKnown && <p>{t("wave.deliveryUnknown")}</p>}
    </Card>
  );
}
