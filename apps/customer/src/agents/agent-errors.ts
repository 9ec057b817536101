import {
  failedPrecondition,
  invalidArgument,
  notFound,
  permissionDenied,
  unauthenticated,
  type DomainError,
  type LocalizedMessages,
} from "@omnihall/service-kit";

function badField(field: string, reason: string, messages: LocalizedMessages): DomainError {
  return invalidArgument(reason, messages, { fieldViolations: [{ field, reason, messages }] });
}

export const AgentErrors = {
  agentIdMalformed: () =>
    badField("agent_id", "AGENT_ID_MALFORMED", {
      "zh-CN": "代理员编号格式不正确。",
      en: 'The agent id is malformed; it looks like "agt_…".',
    }),
  pinMalformed: () => badField("pin", "PIN_MALFORMED", { "zh-CN": "密码应为 6 位数字。", en: "The PIN is 6 digits." }),
  deviceIdRequired: () =>
    badField("device_id", "DEVICE_ID_REQUIRED", {
      "zh-CN": "缺少终端编号。",
      en: "The handheld's device id is missing.",
    }),
  deviceNotRegistered: () =>
    permissionDenied("DEVICE_NOT_REGISTERED", {
      "zh-CN": "该终端未登记为代理员手持终端，不能登录。请联系运营人员登记设备。",
      en: "This device is not a registered handheld, so no agent can log in on it. Ask operations to register it.",
    }),
  credentialsWrong: (attemptsLeft: number) =>
    unauthenticated(
      "AGENT_CREDENTIALS_WRONG",
      {
        "zh-CN": `代理员编号或密码错误，还可尝试 ${attemptsLeft} 次。`,
        en: `Wrong agent id or PIN; ${attemptsLeft} attempts left.`,
      },
      { metadata: { attemptsLeft: String(attemptsLeft) } },
    ),
  locked: () =>
    failedPrecondition("AGENT_LOCKED", {
      "zh-CN": "密码错误次数过多，账号已锁定，请联系运营人员解锁。",
      en: "Too many wrong PINs: the agent is locked. Ask operations staff to unlock.",
    }),
  inactive: () =>
    failedPrecondition("AGENT_INACTIVE", {
      "zh-CN": "该代理员账号已停用。",
      en: "This agent account is not active.",
    }),
  notFound: () => notFound("AGENT_NOT_FOUND", { "zh-CN": "未找到该代理员。", en: "No such agent." }),
};
