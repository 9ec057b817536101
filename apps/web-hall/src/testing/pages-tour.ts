import type { Page } from "playwright-core";
import { expect } from "vitest";

/** The web hall's main pages, as the navigation lists them (apps/web-hall/web/src/App.tsx). */
export const MAIN_PAGES = [
  { path: "/", name: "home" },
  { path: "/usage", name: "usage" },
  { path: "/bills", name: "bills" },
  { path: "/top-up", name: "top-up" },
  { path: "/packs", name: "packs" },
  { path: "/subscriptions", name: "subscriptions" },
  { path: "/orders", name: "orders" },
  { path: "/points", name: "points" },
  { path: "/call-forwarding", name: "call-forwarding" },
  { path: "/broadband", name: "broadband" },
  { path: "/consent", name: "consent" },
] as const;

/** Logs in through the login page as a person does: number, code from the SMS (read by `codeOf`), submit. */
export async function logInThroughPage(
  page: Page,
  url: string,
  msisdn: string,
  codeOf: (msisdn: string) => string | undefined,
) {
  await page.goto(url);
  await page.getByLabel("手机号码").fill(msisdn);
  const before = codeOf(msisdn);
  await page.getByRole("button", { name: "获取验证码" }).click();
  await expect.poll(() => codeOf(msisdn), { timeout: 10_000 }).not.toBe(before);
  await page.getByLabel("验证码").fill(codeOf(msisdn)!);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.getByRole("navigation").waitFor();
}

/** Waits until a page has shown its data: nothing is loading any more. */
export async function settled(page: Page) {
  await page.getByRole("main").waitFor();
  await expect.poll(() => page.locator(".oh-loading").count(), { timeout: 10_000 }).toBe(0);
}
