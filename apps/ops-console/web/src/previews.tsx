import { useLocale, useT } from "@omnihall/ui";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, ok, type Creative } from "./api";
import { useDebounced } from "./debounced";

type Text = { zhCn: string; en: string } | undefined;

function useText() {
  const { locale } = useLocale();
  return (text: Text) => (locale === "en" ? text?.en || text?.zhCn : text?.zhCn || text?.en) ?? "";
}

/**
 * What each hall will show, drawn from the creative as it is typed: the web hall's banner, the SMS as a phone
 * shows it (with the number of parts the SMSC will take), the kiosk's attract screen, the agent's pitch card.
 */
export function ChannelPreview({ channel, creative }: { channel: string; creative: Creative }) {
  const t = useT();
  const text = useText();
  const label = `${t("preview.title")}: ${t(`channel.${channel}`)}`;
  switch (channel) {
    case "WEB_HALL":
      return (
        <figure className="ops-preview ops-preview--web" aria-label={label}>
          <strong>{text(creative.webBannerTitle)}</strong>
          <span>{text(creative.webBannerText)}</span>
        </figure>
      );
    case "SMS_HALL":
      return <SmsPreview label={label} body={text(creative.smsText)} keyword={creative.smsReplyKeyword ?? ""} />;
    case "KIOSK":
      return (
        <figure className="ops-preview ops-preview--kiosk" aria-label={label}>
          <strong>{text(creative.kioskAttractTitle)}</strong>
          <span>{text(creative.kioskAttractText)}</span>
        </figure>
      );
    case "MINI_HALL":
      return (
        <figure className="ops-preview ops-preview--agent" aria-label={label}>
          <figcaption>{t("preview.pitch")}</figcaption>
          <span>{text(creative.agentPitch)}</span>
        </figure>
      );
    default:
      return null;
  }
}

function SmsPreview({ label, body, keyword }: { label: string; body: string; keyword: string }) {
  const t = useT();
  // Counted by the console (the SMPP link's own segmenter), a moment after typing stops.
  const deferred = useDebounced(body);
  const parts = useQuery({
    queryKey: ["sms-parts", deferred],
    queryFn: () => ok(api.POST("/v1/sms-previews", { body: { text: deferred } })),
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
  return (
    <figure className="ops-preview ops-preview--sms" aria-label={label}>
      <p className="ops-sms-bubble">{body}</p>
      {keyword && <span className="ops-sms-reply">{t("preview.reply", { keyword })}</span>}
      {parts.data && (
        <figcaption className="ops-sms-count" aria-live="polite">
          {t("preview.sms", {
            parts: parts.data.parts,
            encoding: parts.data.encoding === "GSM7" ? "GSM-7" : "UCS-2",
            characters: parts.data.characters,
          })}
        </figcaption>
      )}
    </figure>
  );
}
