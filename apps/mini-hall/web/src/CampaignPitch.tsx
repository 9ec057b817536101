import { Card, LiveOfferItem, useLiveOffers, useOfferReporter, useT } from "@omnihall/ui";
import { useEffect } from "react";
import { api } from "./api";

/**
 * The campaigns live on the mini hall in the agent's territory, with the pitch to say on the doorstep. Pushed by
 * the hall's event stream while online (a launch appears, a pause disappears without a reload); offline there is
 * nothing to show, since a paused campaign must not be pitched from a stale copy. Impressions are reported in the
 * background.
 */
export function CampaignPitch({ online }: { online: boolean }) {
  const t = useT();
  const offers = useLiveOffers({ enabled: online });
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
