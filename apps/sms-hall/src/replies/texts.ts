import type { Language } from "../understanding/normalize.js";

/** Everything the service number says, in both languages. Short: one SMS part where it can be. */
type Text<A extends unknown[] = []> = (...args: A) => Record<Language, string>;

const yuan = (fen: bigint) => {
  const sign = fen < 0n ? "-" : "";
  const abs = fen < 0n ? -fen : fen;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, "0")}`;
};
const gb = (kb: bigint) => (Number(kb) / 1024 / 1024).toFixed(2);

export const REPLIES = {
  menu: (() => ({
    "zh-CN":
      "回复：CXYE查余额 CXLL查流量 CXZD查账单 JF查积分 KT+代码开通（如KT10GB） TD+代码退订 0000查已订业务 TD退订营销短信。也可直接说“查余额”。",
    en: "Reply: CXYE balance, CXLL data left, CXZD bill, JF points, KT+code to order (e.g. KT10GB), TD+code to cancel, 0000 your subscriptions, TD no marketing. Or just write what you need.",
  })) as Text,
  notUnderstood: (() => ({
    "zh-CN": "抱歉，没看懂您的短信。",
    en: "Sorry, we did not understand that.",
  })) as Text,
  binary: (() => ({
    "zh-CN": "抱歉，本号码只能读取文字短信。",
    en: "Sorry, this number can only read text messages.",
  })) as Text,
  balance: ((fen: bigint) => ({
    "zh-CN": `您的账户余额为${yuan(fen)}元。`,
    en: `Your balance is ¥${yuan(fen)}.`,
  })) as Text<[bigint]>,
  dataLeft: ((remainingKb: bigint, quotaKb: bigint) => ({
    "zh-CN": `您本期剩余流量${gb(remainingKb)}GB（共${gb(quotaKb)}GB）。`,
    en: `You have ${gb(remainingKb)} GB of data left (of ${gb(quotaKb)} GB).`,
  })) as Text<[bigint, bigint]>,
  noData: (() => ({ "zh-CN": "您目前没有可用的流量。", en: "You have no data allowance right now." })) as Text,
  bill: ((month: string, fen: bigint) => ({
    "zh-CN": `您${month}账单金额为${yuan(fen)}元。`,
    en: `Your bill for ${month} is ¥${yuan(fen)}.`,
  })) as Text<[string, bigint]>,
  noBill: (() => ({ "zh-CN": "暂无账单。", en: "There is no bill yet." })) as Text,
  points: ((points: bigint) => ({
    "zh-CN": `您的可用积分为${points}分。`,
    en: `You have ${points} points.`,
  })) as Text<[bigint]>,
  unknownProduct: ((code: string) => ({
    "zh-CN": `没有找到业务代码“${code}”。回复HELP查看指令。`,
    en: `There is no product code "${code}". Reply HELP for the commands.`,
  })) as Text<[string]>,
  whichProduct: (() => ({
    "zh-CN": "请告诉我们要办理的业务，例如回复KT10GB开通10GB流量包。",
    en: "Which product? For example reply KT10GB for the 10 GB data pack.",
  })) as Text,
  orderRefused: ((reason: string) => ({
    "zh-CN": `暂时无法办理：${reason}`,
    en: `We could not take the order: ${reason}`,
  })) as Text<[string]>,
  subscriptions: ((lines: string[]) => ({
    "zh-CN": `您已订购：${lines.join("；")}。回复序号退订对应业务。`,
    en: `Your subscriptions: ${lines.join("; ")}. Reply the number to cancel one.`,
  })) as Text<[string[]]>,
  noSubscriptions: (() => ({
    "zh-CN": "您目前没有可退订的业务。",
    en: "You have no subscriptions to cancel.",
  })) as Text,
  unsubscribed: ((name: string, endsLater: boolean) => ({
    "zh-CN": endsLater ? `“${name}”已退订，本期结束后停止。` : `“${name}”已退订。`,
    en: endsLater ? `"${name}" is cancelled and stops at the end of this period.` : `"${name}" is cancelled.`,
  })) as Text<[string, boolean]>,
  notSubscribed: ((code: string) => ({
    "zh-CN": `您没有订购“${code}”。回复0000查看已订业务。`,
    en: `You do not have "${code}". Reply 0000 to see your subscriptions.`,
  })) as Text<[string]>,
  choiceUnknown: (() => ({
    "zh-CN": "该序号无效或已过期，请先回复0000查看已订业务。",
    en: "That number is not on a current list. Reply 0000 for your subscriptions first.",
  })) as Text,
  optedOut: (() => ({
    "zh-CN": "您已退订营销短信，今后不再向您发送。业务通知不受影响。",
    en: "You will get no more marketing messages. Service notices still come.",
  })) as Text,
  confirmed: ((name: string) => ({
    "zh-CN": `已确认订购“${name}”，正在为您办理，成功后短信通知。`,
    en: `Confirmed: "${name}" is being set up; we will text you when it is done.`,
  })) as Text<[string]>,
  nothingPending: (() => ({
    "zh-CN": "您没有待确认的订单。",
    en: "You have no order waiting for confirmation.",
  })) as Text,
  confirmNeedsCode: ((lines: string[]) => ({
    "zh-CN": `您有多笔待确认订单：${lines.join("；")}。请回复Y加要确认那笔的确认短信中的验证码，例如Y123456。`,
    en: `Several orders wait for confirmation: ${lines.join("; ")}. Reply Y and the code from the confirmation text of the one you mean, e.g. Y123456.`,
  })) as Text<[string[]]>,
  confirmationExpired: (() => ({
    "zh-CN": "该订单已超过确认时间并已取消，未扣费。如需办理请重新发送。",
    en: "That order was not confirmed in time and is cancelled; nothing was charged. Send the order again if you want it.",
  })) as Text,
  alreadyConfirmed: (() => ({
    "zh-CN": "该订单已确认过，无需重复回复。",
    en: "That order is already confirmed; no need to reply again.",
  })) as Text,
  codeWrong: (() => ({
    "zh-CN": "验证码不正确，请核对确认短信后重新回复。",
    en: "That code is not right. Check the confirmation text and reply again.",
  })) as Text,
  tooMany: (() => ({
    "zh-CN": "您发送过于频繁，请稍后再试。",
    en: "Too many messages; please try again in a minute.",
  })) as Text,
  unavailable: (() => ({
    "zh-CN": "系统繁忙，请稍后再试。",
    en: "The service is busy; please try again shortly.",
  })) as Text,
} as const;
