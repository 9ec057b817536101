import { parseCommand, type CommandTable } from "./commands.js";
import type { IntentModel } from "./intent-model.js";

/** What a subscriber asked for, whether by command or in their own words. */
export type Request =
  | { kind: "BALANCE" | "DATA_LEFT" | "BILL" | "POINTS" | "LIST_SUBSCRIPTIONS" | "MENU" | "OPT_OUT" }
  | { kind: "ORDER"; productCode: string | undefined; offeringCode: string | undefined }
  | { kind: "UNSUBSCRIBE"; productCode: string | undefined; offeringCode: string | undefined }
  | { kind: "CONFIRM"; code: string | undefined }
  | { kind: "MENU_CHOICE"; choice: number }
  | { kind: "NOT_UNDERSTOOD" };

/** Commands first (exact, cheap), then the intent model for free text. */
export function interpret(text: string, table: CommandTable, model: IntentModel): Request {
  const command = parseCommand(text, table);
  if (command) {
    switch (command.action) {
      case "ORDER":
        return { kind: "ORDER", productCode: command.productCode, offeringCode: command.offeringCode };
      case "UNSUBSCRIBE":
        return { kind: "UNSUBSCRIBE", productCode: command.productCode, offeringCode: command.offeringCode };
      case "CONFIRM":
        return { kind: "CONFIRM", code: command.code };
      case "MENU_CHOICE":
        return { kind: "MENU_CHOICE", choice: command.choice };
      default:
        return { kind: command.action };
    }
  }
  const understood = model.understand(text);
  switch (understood.intent) {
    case undefined:
      return { kind: "NOT_UNDERSTOOD" };
    case "ORDER":
    case "UNSUBSCRIBE": {
      const productCode = understood.productCode;
      const offeringCode = productCode === undefined ? undefined : table.products[productCode];
      return understood.intent === "ORDER"
        ? { kind: "ORDER", productCode, offeringCode }
        : { kind: "UNSUBSCRIBE", productCode, offeringCode };
    }
    default:
      return { kind: understood.intent };
  }
}
