import type { Catalog } from "@omnihall/ui";

/** The web hall's words, zh-CN first (the default), English beside it; the same keys in both. */
const zh = {
  "app.title": "网上营业厅",
  "app.logOut": "退出登录",
  "nav.home": "首页",
  "login.title": "短信验证码登录",
  "login.msisdn": "手机号码",
  "login.sendCode": "获取验证码",
  "login.codeSent": "验证码已发送至 {msisdn}",
  "login.code": "验证码",
  "login.submit": "登录",
  "login.changeNumber": "更换号码",
  "home.hello": "您好，{name}",
  "home.balance": "账户余额",
};

const en: Record<keyof typeof zh, string> = {
  "app.title": "Online Service Hall",
  "app.logOut": "Log out",
  "nav.home": "Home",
  "login.title": "Log in with an SMS code",
  "login.msisdn": "Mobile number",
  "login.sendCode": "Send code",
  "login.codeSent": "A code was sent to {msisdn}",
  "login.code": "Code",
  "login.submit": "Log in",
  "login.changeNumber": "Use another number",
  "home.hello": "Hello, {name}",
  "home.balance": "Balance",
};

export const messages: Catalog = { "zh-CN": zh, en };
