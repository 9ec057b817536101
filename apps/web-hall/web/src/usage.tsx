import { formatDataKb, Meter, useLocale, useT } from "@omnihall/ui";
import { useQuery } from "@tanstack/react-query";
import { api, ok } from "./api";
import { pick } from "./shop";

export function useUsage() {
  return useQuery({ queryKey: ["usage"], queryFn: () => ok(api.GET("/v1/me/usage")) });
}

type Bucket = NonNullable<ReturnType<typeof useUsage>["data"]>["buckets"][number];

/** One bar per allowance bucket: data in KB/MB/GB, voice in minutes, texts as a count. */
export function BucketMeters({ buckets }: { buckets: Bucket[] }) {
  const t = useT();
  const { locale } = useLocale();
  const minutes = (seconds: number) => t("allowance.minutes", { minutes: Math.floor(seconds / 60) });
  const count = (n: number) => t("allowance.count", { count: n });
  return (
    <>
      {buckets.map((b) => (
        <Meter
          key={b.bucketId}
          label={`${t(`unit.${b.unit}`)} · ${pick(b.offeringName, locale)}${b.roamingCountryCode ? ` (${b.roamingCountryCode})` : ""}`}
          remaining={b.remaining}
          total={b.quota}
          format={b.unit === "DATA_KB" ? formatDataKb : b.unit === "VOICE_SECONDS" ? minutes : count}
        />
      ))}
    </>
  );
}
