import { OperatorStatus, type Operator } from "@omnihall/proto/omnihall/customer/v1/operator";
import type { Operator as OperatorRecord } from "../generated/prisma/client.js";

const STATUS: Record<string, OperatorStatus> = {
  ACTIVE: OperatorStatus.OPERATOR_STATUS_ACTIVE,
  LOCKED: OperatorStatus.OPERATOR_STATUS_LOCKED,
  INACTIVE: OperatorStatus.OPERATOR_STATUS_INACTIVE,
};

export function operatorView(record: OperatorRecord): Operator {
  return {
    operatorId: record.id,
    name: record.name,
    roles: record.roles,
    provinceScope: record.provinceScope,
    status: STATUS[record.status] ?? OperatorStatus.OPERATOR_STATUS_UNSPECIFIED,
    failedPasswordAttempts: record.failedPasswordAttempts,
    createTime: record.createdAt,
  };
}
