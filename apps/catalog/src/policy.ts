import type { CatalogServiceService } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { HALLS, type CallPolicy } from "@omnihall/service-kit";

/** What is on sale is public: every hall shows it, before anyone logs in; the services that sell and announce it read it. */
const PUBLIC_CATALOG = {
  callers: [...HALLS, "orders", "notify", "usage", "billing", "campaigns", "platform"],
  anonymous: true,
} as const;

/** Authoring the catalog is operations work (the handlers also check the operator's role and province). */
const CATALOG_AUTHORS = { callers: ["ops-console", "platform"] } as const;

/**
 * Who may call what on the catalog (deny by default; the kit enforces it before a handler runs).
 */
export const catalogPolicy: CallPolicy<typeof CatalogServiceService> = {
  getOffering: PUBLIC_CATALOG,
  listOfferings: PUBLIC_CATALOG,
  createOffering: CATALOG_AUTHORS,
  updateOffering: CATALOG_AUTHORS,
  activateOffering: CATALOG_AUTHORS,
  retireOffering: CATALOG_AUTHORS,
  // Eligibility is decided on facts (plan, tenure, products held) that only the order engine and the customer
  // service know; a hall could only pass facts it cannot vouch for. Halls learn it from CreateOrder's answer.
  checkEligibility: { callers: ["orders", "campaigns", "platform"] },
  getRoamingDestination: PUBLIC_CATALOG,
  listRoamingDestinations: PUBLIC_CATALOG,
  // Choosing a new number comes before being a subscriber (a prospective customer at a kiosk, on the web, or
  // with a field agent).
  listAvailableNumbers: { callers: [...HALLS, "orders", "platform"], anonymous: true },
  // A number is held by the order that sells it (CreateOrder reserves it with the order's request id), so halls
  // never hold or free numbers themselves.
  reserveNumber: { callers: ["orders", "platform"] },
  releaseNumber: { callers: ["orders", "platform"] },
  // Selling the number for good is the order saga's last step, and nobody else's.
  consumeReservation: { callers: ["orders"] },
};
