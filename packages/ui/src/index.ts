export * from "./format.js";
export * from "./i18n.js";
export * from "./components.js";
export * from "./hall-api.js";
export * from "./errors.js";
export * from "./queries.js";
export * from "./live-offers.js";
export * from "./router.js";
