import { Card, LiveOfferItem, useOfferReporter, useT, type LiveOfferView } from "@omnihall/ui";
import { useEffect } from "react";
import { api } from "./api";

/**
 * The campaigns live on the mini hall in the agent's territory, with the pitch to say on the doorstep (`offers`:
 * the home screen's `useLiveOffers`, pushed by the hall's event stream while online — a launch appears, a pause
 * disappears without a reload; offline there is nothing, since a paused campaign must not be pitched from a stale
 * copy). Impressions are reported in the background. The pack order form shows the pitch again for the offering
 * picked and carries the campaign to the order.
 */
export function CampaignPitch({ offers }: { offers: LiveOfferView[] | false }) {
  const t = useT();
  const reporter = useOfferReporter((interactions) =>
    api.POST("/v1/live-offers/interactions", { body: { interactions } }),
  );
  useEffect(() => {
    if (offers) reporter.shown(offers);
  }, [offers, reporter]);
  if (!offers || offers.length === 0) return null;
  return (
    <Card title={t("campaigns.title")}>
      <div className="mh-campaigns" data-testid="campaign-pitch">
        {offers.map((offer) => (
          <LiveOfferItem key={offer.campaignId} offer={offer} />
        ))}
      </div>
    </Card>
  );
}
