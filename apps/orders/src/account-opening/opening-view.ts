import { channelFromJSON } from "@omnihall/proto/omnihall/common/v1/common";
import { AccountOpeningState, type AccountOpening } from "@omnihall/proto/omnihall/orders/v1/account_opening";
import type { AccountOpening as OpeningRow } from "../generated/prisma/client.js";
import { maskIdNumber } from "./identity-checks.js";

const STATE: Record<string, AccountOpeningState> = {
  OPENING: AccountOpeningState.ACCOUNT_OPENING_STATE_OPENING,
  OPENED: AccountOpeningState.ACCOUNT_OPENING_STATE_OPENED,
  FAILED: AccountOpeningState.ACCOUNT_OPENING_STATE_FAILED,
};

export function openingView(row: OpeningRow, photoSize: number): AccountOpening {
  return {
    accountOpeningId: row.id,
    requestId: row.requestId,
    state: STATE[row.state] ?? AccountOpeningState.ACCOUNT_OPENING_STATE_UNSPECIFIED,
    failureReason: row.failureReason,
    subscriberId: row.subscriberId,
    number: row.number,
    iccid: row.iccid,
    planCode: row.planCode,
    holderName: row.holderName,
    idNumberMasked: maskIdNumber(row.idNumber),
    provinceCode: row.provinceCode,
    city: row.city,
    agentId: row.agentId,
    channel: channelFromJSON(row.channel),
    numberFeeFen: row.numberFeeFen,
    createTime: row.createdAt,
    updateTime: row.updatedAt,
    idPhotoSize: photoSize,
  };
}
