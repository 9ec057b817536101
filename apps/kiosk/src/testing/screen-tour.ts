import type { Page } from "playwright-core";
import { vi } from "vitest";

/** Conditions, never fixed sleeps: retried every 50 ms for up to 10 s. */
const waitFor = <T>(check: () => T | Promise<T>) => vi.waitFor(check, { timeout: 10_000, interval: 50 });

/** Types digits on the on-screen keypad, as a finger does. */
export async function typeOnKeypad(page: Page, digits: string) {
  const keypad = page.getByRole("group", { name: /数字键盘|Number keypad/ });
  for (const digit of digits) await keypad.getByRole("button", { name: digit, exact: true }).click();
}

/** From the attract screen: identify by phone number and SMS code, through the screen only. */
export async function identifyByPhone(page: Page, msisdn: string, codeFor: (msisdn: string) => string | undefined) {
  await page.getByRole("button", { name: "点击开始" }).click();
  await page.getByRole("button", { name: "手机号 + 短信验证码" }).click();
  await typeOnKeypad(page, msisdn);
  const before = codeFor(msisdn);
  await page.getByRole("button", { name: "获取验证码" }).click();
  const code = await waitFor(() => {
    const latest = codeFor(msisdn);
    if (!latest || latest === before) throw new Error("no new code yet");
    return latest;
  });
  await typeOnKeypad(page, code);
  await page.getByRole("button", { name: "确认" }).click();
  await page.getByText(`您好，${msisdn.slice(0, 3)}****${msisdn.slice(-4)}`).waitFor();
}

/** Waits until the page has no request in flight for a moment (for screenshots and axe). */
export async function settled(page: Page) {
  await page.waitForLoadState("networkidle");
}
