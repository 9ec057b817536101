import { DateText, useT } from "@omnihall/ui";
import type { Order } from "./shop";

const MILESTONES = ["ACCEPTED", "ENGINEER_ASSIGNED", "SCHEDULED", "INSTALLED"] as const;

/** A broadband installation's milestones as a list: reached ones with their time (the order engine's record). */
export function InstallationTracker({ order }: { order: Order }) {
  const t = useT();
  const reached = new Map((order.installationProgress ?? []).map((p) => [p.milestone, p.time]));
  return (
    <ol className="wh-steps" aria-label={t("broadband.progress")}>
      {MILESTONES.map((m) => {
        const time = reached.get(m);
        return (
          <li key={m} data-done={time ? "true" : "false"}>
            {t(`milestone.${m}`)}
            {time ? (
              <>
                {" · "}
                <DateText value={time} withTime />
              </>
            ) : (
              <span className="oh-visually-hidden"> {t("milestone.notYet")}</span>
            )}
          </li>
        );
      })}
    </ol>
  );
}
