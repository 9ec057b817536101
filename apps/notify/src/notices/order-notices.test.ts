import { describe, expect, it } from "vitest";
import { InstallationMilestone, OrderState, Order } from "@omnihall/proto/omnihall/orders/v1/orders";
import { ConfirmationMethod } from "@omnihall/proto/omnihall/orders/v1/orders";
import { renderMessage } from "../templates/render.js";
import type { Language } from "../templates/catalog.js";
import type { Notice } from "./notice.js";
import { confirmationNotice, installationNotice, orderStateNotice } from "./order-notices.js";

function text(notice: Notice | undefined, language: Language): string {
  if (!notice) throw new Error("no notice");
  const result = renderMessage({ ...notice, kind: "SERVICE", language });
  if (!result.ok) throw new Error(`${notice.templateCode}: ${result.reason}`);
  return result.text;
}

function order(overrides: Partial<Order> = {}): Order {
  return Order.fromPartial({
    orderId: "ord_1",
    subscriberId: "sub_1",
    offeringCode: "BB_300M",
    offeringName: { zhCn: "300M 宽带", en: "300M Broadband" },
    priceFen: 9900n,
    channel: 1,
    agentId: "",
    campaignId: "",
    state: OrderState.ORDER_STATE_COMPLETED,
    confirmationMethod: ConfirmationMethod.CONFIRMATION_METHOD_SESSION,
    confirmExpireTime: undefined,
    number: "",
    characteristics: {},
    installation: {
      address: "深圳市南山区 1 号",
      appointmentTime: new Date("2026-11-25T06:00:00Z"),
      contactMsisdn: "",
    },
    ...overrides,
  });
}

describe("order progress notices", () => {
  it("tells every state change in the subscriber's language", () => {
    const completed = orderStateNotice(
      { order: order(), fromState: OrderState.ORDER_STATE_IN_PROGRESS, reason: "" },
      "zh-CN",
    );
    expect(text(completed, "zh-CN")).toBe("【Omnihall】您办理的“300M 宽带”已成功开通（订单ord_1）。");
    const states = [
      OrderState.ORDER_STATE_ACKNOWLEDGED,
      OrderState.ORDER_STATE_PENDING,
      OrderState.ORDER_STATE_HELD,
      OrderState.ORDER_STATE_IN_PROGRESS,
      OrderState.ORDER_STATE_FAILED,
      OrderState.ORDER_STATE_CANCELLED,
    ];
    const texts = states.map((state) =>
      text(orderStateNotice({ order: order({ state }), fromState: 0, reason: "" }, "en"), "en"),
    );
    expect(new Set(texts).size).toBe(states.length);
    expect(texts.every((t) => t.includes("ord_1"))).toBe(true);
  });

  it("keys a message by the transition, so a re-entered state is told again but a duplicate is not", () => {
    const held = orderStateNotice(
      {
        order: order({ state: OrderState.ORDER_STATE_IN_PROGRESS }),
        fromState: OrderState.ORDER_STATE_HELD,
        reason: "",
      },
      "en",
    );
    const first = orderStateNotice(
      {
        order: order({ state: OrderState.ORDER_STATE_IN_PROGRESS }),
        fromState: OrderState.ORDER_STATE_PENDING,
        reason: "",
      },
      "en",
    );
    expect(held!.dedupeKey).not.toBe(first!.dedupeKey);
    expect(orderStateNotice({ order: order({ state: 0 }), fromState: 0, reason: "" }, "en")).toBeUndefined();
  });

  it("sends the orders service's own confirmation wording", () => {
    const notice = confirmationNotice(
      {
        orderId: "ord_1",
        subscriberId: "sub_1",
        msisdn: "13800138000",
        method: ConfirmationMethod.CONFIRMATION_METHOD_SMS_REPLY,
        code: "482913",
        text: { zhCn: "回复“Y 482913”确认办理 300M 宽带，99.00元。", en: 'Reply "Y 482913" to order 300M Broadband.' },
        expireTime: new Date(),
        channel: 2,
      },
      "en",
    );
    expect(text(notice, "en")).toBe('[Omnihall] Reply "Y 482913" to order 300M Broadband.');
    expect(notice.dedupeKey).toBe("order-confirmation:ord_1:482913");
  });

  it("tells broadband milestones, with the visit in the subscriber's time", () => {
    const progressed = (milestone: InstallationMilestone) => ({
      order: order({ state: OrderState.ORDER_STATE_HELD }),
      progress: { milestone, time: new Date() },
    });
    const scheduled = installationNotice(
      progressed(InstallationMilestone.INSTALLATION_MILESTONE_SCHEDULED),
      "zh-CN",
      "Asia/Shanghai",
    );
    expect(text(scheduled, "zh-CN")).toContain("已预约在2026年11月25日 14:00上门");
    for (const milestone of [
      InstallationMilestone.INSTALLATION_MILESTONE_ACCEPTED,
      InstallationMilestone.INSTALLATION_MILESTONE_ENGINEER_ASSIGNED,
      InstallationMilestone.INSTALLATION_MILESTONE_INSTALLED,
    ]) {
      const notice = installationNotice(progressed(milestone), "en", "Asia/Shanghai");
      expect(text(notice, "en")).toContain("ord_1");
      expect(notice!.dedupeKey).toBe(`installation:ord_1:${milestone}`);
    }
    expect(
      installationNotice(progressed(InstallationMilestone.INSTALLATION_MILESTONE_UNSPECIFIED), "en", "UTC"),
    ).toBeUndefined();
  });
});
