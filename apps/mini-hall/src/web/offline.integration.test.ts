import { randomUUID } from "node:crypto";
import { withIdCheckCharacter, withLuhnDigit } from "@omnihall/orders";
import { seriousAxeViolations } from "@omnihall/testkit/browser";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { MINI_UI_ROOT } from "../app.js";
import { handheld } from "../testing/handheld.js";
import { GUANGZHOU, miniHallPlatform, SHENZHEN } from "../testing/mini-platform.js";
import { openingBody } from "../testing/openings.js";

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);

/** A signed-in handheld whose service worker holds the app shell, so it can go offline. */
async function handheldReadyOffline() {
  const platform = await miniHallPlatform({ pages: MINI_UI_ROOT });
  const { page, context } = await handheld(platform.url);
  await page.getByRole("form", { name: "开户" }).waitFor();
  // The service worker holds the app shell before the signal goes.
  await page.evaluate("navigator.serviceWorker.ready.then(() => true)");
  return { platform, page, context };
}

let person = 0;
/** Takes one opening on the handheld's form (the number is the one the form offers first); returns the number. */
async function takeOpening(page: Page): Promise<string> {
  person += 1;
  const form = page.getByRole("form", { name: "开户" });
  await form.getByLabel("机主姓名").fill(`测试用户${person}`);
  await form.getByLabel("身份证号码").fill(withIdCheckCharacter(`440305199003071${String(person).padStart(2, "0")}`));
  await form.getByLabel("地址").fill("深圳市南山区");
  await form.getByLabel("身份证照片").setInputFiles({ name: "id.jpg", mimeType: "image/jpeg", buffer: JPEG });
  const number = await form.getByLabel("选择号码").inputValue();
  await form.getByLabel("SIM 卡号（ICCID）").fill(withLuhnDigit(`898600191234567${String(person).padStart(4, "0")}`));
  await form.getByRole("button", { name: "保存开户单" }).click();
  await page.getByText(`开户单已保存（${number}）`).waitFor();
  return number;
}

const itemOf = (page: Page, number: string) => page.locator(`li[data-number="${number}"]`);

describe("mini hall handheld in headless Chromium, offline first", () => {
  it("takes three openings offline, syncs each exactly once through a flapping network, and shows a number taken meanwhile", async () => {
    const { platform, page, context } = await handheldReadyOffline();

    await context.setOffline(true);
    await page.getByText("离线：业务将保存在本机，联网后自动同步").waitFor();
    // The app shell opens again with no network at all (service worker), the queue survives the reload.
    const numbers = [await takeOpening(page), await takeOpening(page), await takeOpening(page)];
    await page.reload();
    await page.getByRole("form", { name: "开户" }).waitFor();
    for (const number of numbers) await expect.poll(() => itemOf(page, number).textContent()).toContain("待同步");
    expect(await platform.ordersDb.accountOpening.count()).toBe(0);

    // A fourth opening, whose number another agent sells while this handheld is offline.
    const takenNumber = await takeOpening(page);
    const elsewhere = await platform.call("POST", "/v1/account-openings", openingBody(takenNumber), {
      authorization: `Bearer ${await platform.logIn(GUANGZHOU)}`,
      "idempotency-key": randomUUID(),
    });
    expect(elsewhere.status).toBe(201);

    // The network flaps: the first two sync answers are lost after the hall applied the batch, and the signal
    // drops and returns in between.
    let lost = 0;
    await page.route("**/v1/sync", async (route) => {
      if (lost < 2) {
        lost += 1;
        await route.fetch(); // the hall receives and applies the batch…
        await route.abort("connectionreset"); // …and its answer never reaches the device
        return;
      }
      await route.continue();
    });
    await context.setOffline(false);
    await expect.poll(() => lost, { timeout: 20_000 }).toBe(2);
    await context.setOffline(true);
    await context.setOffline(false);

    for (const number of numbers) {
      await expect.poll(() => itemOf(page, number).textContent(), { timeout: 20_000 }).toContain("已完成");
    }
    const refused = itemOf(page, takenNumber);
    await expect.poll(() => refused.textContent(), { timeout: 20_000 }).toContain("未通过");
    await expect.poll(() => refused.getByRole("alert").textContent()).toContain("另选号码");
    await expect.poll(() => page.locator('[data-total="opened"]').textContent()).toBe("3");
    expect(await page.locator('[data-total="failed"]').textContent()).toBe("1");

    // Each opening applied once: one per number for this agent, plus the other agent's sale.
    const openings = await platform.ordersDb.accountOpening.findMany({ where: { agentId: SHENZHEN.id } });
    expect(
      openings
        .filter((o) => o.state === "OPENED")
        .map((o) => o.number)
        .sort(),
    ).toEqual([...numbers].sort());
    expect(openings.filter((o) => o.state === "FAILED").map((o) => o.number)).toEqual([takenNumber]);
    expect(await platform.ordersDb.accountOpening.count()).toBe(5);

    // The agent fixes the refused one: back in the form, another number, a new opening.
    await refused.getByRole("button", { name: "重新填写" }).click();
    await expect.poll(() => page.getByRole("form", { name: "开户" }).getByLabel("机主姓名").inputValue()).not.toBe("");
    expect(await seriousAxeViolations(page)).toEqual([]);
  }, 180_000);
});
