import { hallRequestHeaders, type Locale } from "@omnihall/ui";
import createClient from "openapi-fetch";
import type { paths } from "../../src/generated/openapi";

export { ApiError, ok } from "@omnihall/ui";

let screenLocale: Locale = "zh-CN";
/** The App keeps this in step with the language switch, so the kiosk hall answers errors in the screen's language. */
export const setScreenLocale = (locale: Locale) => {
  screenLocale = locale;
};

/** The kiosk hall's own API, typed from its /openapi.json (no other origin is called). */
export const kioskApi = createClient<paths>({ baseUrl: globalThis.location?.origin ?? "" });
kioskApi.use(hallRequestHeaders(() => screenLocale));
