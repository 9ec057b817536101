import type { RoamingDestination } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { RoamingDestination as RoamingDestinationRow } from "../generated/prisma/client.js";

export function roamingDestinationFromRow(row: RoamingDestinationRow): RoamingDestination {
  return {
    countryCode: row.countryCode,
    name: { zhCn: row.nameZh, en: row.nameEn },
    rates: {
      dataPerMbFen: row.dataPerMbFen,
      voiceOutgoingPerMinuteFen: row.voiceOutgoingPerMinuteFen,
      voiceIncomingPerMinuteFen: row.voiceIncomingPerMinuteFen,
      smsPerMessageFen: row.smsPerMessageFen,
    },
  };
}
