import type { UsageServiceService } from "@omnihall/proto/omnihall/usage/v1/usage";
import { HALLS, type CallPolicy } from "@omnihall/service-kit";

/**
 * Who may call what on the usage service (deny by default; the kit enforces it before a handler runs).
 */
export const usagePolicy: CallPolicy<typeof UsageServiceService> = {
  // Usage records come from the network's mediation feed, which the platform runs; no hall or person reports
  // usage, and no service but the feed may count it (it draws allowances down and crosses thresholds).
  ingestUsage: { callers: ["platform"] },
  streamUsage: { callers: ["platform"] },
  // A subscriber's own usage in every hall (an agent's or operator's within their area: the handlers check);
  // campaigns target by it, notify words reminders with it.
  getUsageSummary: { callers: [...HALLS, "notify", "campaigns", "platform"] },
  listUsageRecords: { callers: [...HALLS, "platform"] },
  // Per-day totals of the same records, for the halls' usage pages.
  getDailyUsage: { callers: [...HALLS, "platform"] },
};
