export { startSmsHall, type RunningSmsHall } from "./app.js";
export { loadSmsHallConfig, type SmsHallConfig } from "./config.js";
export { SmsHall, messageKey, REPLY_TEMPLATE } from "./conversation/sms-hall.js";
export { signWebhookBody, SIGNATURE_HEADER } from "./gateway/webhook.js";
