/** JSON Schemas of the kiosk's answers (they feed /openapi.json and so the page's typed client). */
export const localizedTextSchema = {
  type: "object",
  required: ["zh-CN", "en"],
  properties: { "zh-CN": { type: "string" }, en: { type: "string" } },
} as const;

export const deviceStatesSchema = {
  type: "object",
  required: ["printer", "cashAcceptor", "idCardReader"],
  properties: {
    printer: { type: "string", description: "OK, PAPER_OUT or OFFLINE" },
    cashAcceptor: { type: "string", description: "OK, CASH_BOX_FULL or OFFLINE" },
    idCardReader: { type: "string", description: "OK or OFFLINE" },
  },
} as const;

export const kioskStatusSchema = {
  type: "object",
  required: ["terminalId", "location", "idleTimeoutSeconds", "devices", "functions"],
  properties: {
    terminalId: { type: "string" },
    location: { type: "string" },
    idleTimeoutSeconds: { type: "integer" },
    devices: deviceStatesSchema,
    functions: {
      type: "object",
      description: "What the screen may offer now: each needs its device working.",
      required: ["cashTopUp", "receipts", "idCardLogin"],
      properties: {
        cashTopUp: { type: "boolean" },
        receipts: { type: "boolean" },
        idCardLogin: { type: "boolean" },
      },
    },
  },
} as const;

export const offerSchema = {
  type: "object",
  required: ["code", "kind", "name", "description", "priceFen"],
  properties: {
    code: { type: "string" },
    kind: { type: "string" },
    name: localizedTextSchema,
    description: localizedTextSchema,
    priceFen: { type: "integer" },
  },
} as const;

export const cashSessionSchema = {
  type: "object",
  required: ["paymentId", "countedFen", "notes", "counting"],
  properties: {
    paymentId: { type: "string" },
    countedFen: { type: "integer" },
    notes: { type: "integer" },
    counting: { type: "boolean" },
  },
} as const;

export const closedCashSessionSchema = {
  type: "object",
  required: ["paymentId", "status", "creditedFen", "balanceAfterFen", "notes", "receipt"],
  properties: {
    paymentId: { type: "string" },
    status: { type: "string", enum: ["SUCCEEDED", "CANCELLED"] },
    creditedFen: { type: "integer" },
    balanceAfterFen: { type: "integer" },
    notes: { type: "integer" },
    receipt: { type: "string", description: "PRINTED, NOT_NEEDED, or why not (PAPER_OUT, OFFLINE)" },
  },
} as const;

export const meSchema = {
  type: "object",
  required: ["subscriberId", "maskedMsisdn"],
  properties: { subscriberId: { type: "string" }, maskedMsisdn: { type: "string" } },
} as const;

export const maskMsisdn = (msisdn: string) => `${msisdn.slice(0, 3)}****${msisdn.slice(-4)}`;
