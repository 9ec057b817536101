import {
  failedPrecondition,
  invalidArgument,
  notFound,
  unauthenticated,
  type DomainError,
  type LocalizedMessages,
} from "@omnihall/service-kit";

function badField(field: string, reason: string, messages: LocalizedMessages): DomainError {
  return invalidArgument(reason, messages, { fieldViolations: [{ field, reason, messages }] });
}

export const OperatorErrors = {
  operatorIdMalformed: () =>
    badField("operator_id", "OPERATOR_ID_MALFORMED", {
      "zh-CN": "运营人员编号格式不正确。",
      en: 'The operator id is malformed; it looks like "opr_…".',
    }),
  passwordMalformed: () =>
    badField("password", "PASSWORD_MALFORMED", {
      "zh-CN": "密码应为 8 到 128 个字符。",
      en: "The password is 8 to 128 characters.",
    }),
  credentialsWrong: (attemptsLeft: number) =>
    unauthenticated(
      "OPERATOR_CREDENTIALS_WRONG",
      {
        "zh-CN": `运营人员编号或密码错误，还可尝试 ${attemptsLeft} 次。`,
        en: `Wrong operator id or password; ${attemptsLeft} attempts left.`,
      },
      { metadata: { attemptsLeft: String(attemptsLeft) } },
    ),
  locked: () =>
    failedPrecondition("OPERATOR_LOCKED", {
      "zh-CN": "密码错误次数过多，账号已锁定，请联系系统管理员解锁。",
      en: "Too many wrong passwords: the account is locked. Ask an administrator to unlock it.",
    }),
  inactive: () =>
    failedPrecondition("OPERATOR_INACTIVE", {
      "zh-CN": "该运营人员账号已停用。",
      en: "This operator account is not active.",
    }),
  notFound: () => notFound("OPERATOR_NOT_FOUND", { "zh-CN": "未找到该运营人员。", en: "No such operator." }),
};
