import {
  failedPrecondition,
  invalidArgument,
  notFound,
  permissionDenied,
  type DomainError,
  type LocalizedMessages,
} from "@omnihall/service-kit";

function badField(field: string, reason: string, messages: LocalizedMessages): DomainError {
  return invalidArgument(reason, messages, { fieldViolations: [{ field, reason, messages }] });
}

export const terminalIdMalformed = () =>
  badField("terminal_id", "TERMINAL_ID_MALFORMED", {
    "zh-CN": "终端编号格式不正确（3–64 位字母、数字、点、下划线或连字符）。",
    en: "The terminal id is malformed: 3–64 of letters, digits, '.', '_' or '-'.",
  });
export const terminalKindRequired = () =>
  badField("kind", "TERMINAL_KIND_REQUIRED", { "zh-CN": "请指定终端类型。", en: "Name the terminal kind." });
export const shopIdRequired = () =>
  badField("shop_id", "SHOP_ID_REQUIRED", { "zh-CN": "请指定所属营业厅。", en: "Name the shop." });
export const cityRequired = () =>
  badField("city", "CITY_REQUIRED", { "zh-CN": "请指定所在城市。", en: "Name the city." });
export const textTooLong = (field: string) =>
  badField(field, "TEXT_TOO_LONG", { "zh-CN": "内容过长（最多 200 字）。", en: "Too long (at most 200 characters)." });
export const deviceKindRequired = () =>
  badField("devices.device", "DEVICE_KIND_REQUIRED", {
    "zh-CN": "每个设备都须注明类型。",
    en: "Every device needs its kind.",
  });
export const deviceStateRequired = () =>
  badField("devices.state", "DEVICE_STATE_REQUIRED", {
    "zh-CN": "每个设备都须注明状态。",
    en: "Every device needs its state.",
  });
export const idDocumentMalformed = () =>
  badField("number", "ID_DOCUMENT_MALFORMED", {
    "zh-CN": "证件号码无法识别，请重新放置身份证。",
    en: "The document number cannot be read; place the ID card again.",
  });
export const terminalNotFound = () =>
  notFound("TERMINAL_NOT_FOUND", { "zh-CN": "终端未登记。", en: "No such terminal is registered." });
export const terminalKindChanged = () =>
  failedPrecondition("TERMINAL_KIND_CHANGED", {
    "zh-CN": "该终端编号已登记为另一种终端。",
    en: "This terminal id is registered as another kind of terminal.",
  });
/** The same refusal for another party's terminal and an unknown one, so nobody probes which terminals exist. */
export const terminalOutOfScope = (partyKind: string) =>
  permissionDenied(
    "OUTSIDE_PARTY_SCOPE",
    { "zh-CN": "无权操作该终端。", en: "You may not act on this terminal." },
    { metadata: { partyKind } },
  );
