import { createHmac, hkdfSync } from "node:crypto";
import {
  IdDocumentKind,
  type FindSubscribersByIdDocumentRequest,
  type FindSubscribersByIdDocumentResponse,
} from "@omnihall/proto/omnihall/customer/v1/terminal";
import { demoSubscribers } from "@omnihall/demo-data";
import type { CustomerDb } from "../db.js";
import type { TerminalContext } from "./terminal-context.js";
import { idDocumentMalformed } from "./terminal-errors.js";

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_DIGITS = "10X98765432";

/** The check character of a resident ID number's first 17 digits (GB 11643, ISO 7064 MOD 11-2). */
function checkCharacter(first17: string): string {
  const sum = [...first17].reduce((total, digit, i) => total + Number(digit) * WEIGHTS[i]!, 0);
  return CHECK_DIGITS[sum % 11]!;
}

/** The canonical resident ID number (upper-case X), or undefined when it is not one (a misread card). */
export function normalizeResidentId(input: string): string | undefined {
  const number = input.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(number)) return undefined;
  return checkCharacter(number.slice(0, 17)) === number[17] ? number : undefined;
}

/** The key document numbers are hashed under, derived from the login-code secret (one secret less to run). */
export function documentKeyOf(loginCodeSecret: string): string {
  return Buffer.from(hkdfSync("sha256", loginCodeSecret, "", "omnihall customer id documents", 32)).toString("hex");
}

export function documentHash(documentKey: string, number: string): string {
  return createHmac("sha256", documentKey).update(`resident-id:${number}`).digest("hex");
}

export const maskMsisdn = (msisdn: string) => `${msisdn.slice(0, 3)}****${msisdn.slice(-4)}`;

/** FindSubscribersByIdDocument: the numbers an ID card was registered with, closed numbers left out. */
export async function findSubscribersByIdDocument(
  context: TerminalContext,
  request: FindSubscribersByIdDocumentRequest,
): Promise<FindSubscribersByIdDocumentResponse> {
  const number =
    request.kind === IdDocumentKind.ID_DOCUMENT_KIND_RESIDENT_ID_CARD && normalizeResidentId(request.number);
  if (!number) throw idDocumentMalformed();
  const links = await context.db.subscriberIdDocument.findMany({
    where: { documentHash: documentHash(context.documentSecret, number) },
  });
  const subscribers = await context.db.subscriber.findMany({
    where: { id: { in: links.map((l) => l.subscriberId) }, status: { not: "TERMINATED" } },
    orderBy: { msisdn: "asc" },
  });
  return {
    subscribers: subscribers.map((s) => ({
      subscriberId: s.id,
      msisdn: s.msisdn,
      maskedMsisdn: maskMsisdn(s.msisdn),
    })),
  };
}

/**
 * The resident ID number the demo gives subscriber N (demoSubscribers order): a well-formed, made-up number
 * (Guangzhou Tianhe area code, a birth date spread over 1960–2000), so the kiosk's simulated card reader has
 * real-looking cards to read.
 */
export function demoIdDocumentNumber(index: number): string {
  const birth = new Date(Date.UTC(1960, 0, 1) + ((index * 7919) % 14_600) * 86_400_000);
  const date = birth.toISOString().slice(0, 10).replaceAll("-", "");
  const first17 = `440106${date}${String(index % 1000).padStart(3, "0")}`;
  return first17 + checkCharacter(first17);
}

/** Links each demo subscriber to their demo ID card. Idempotent. */
export async function seedIdDocuments(db: CustomerDb, documentKey: string): Promise<number> {
  const { count } = await db.subscriberIdDocument.createMany({
    data: demoSubscribers().map((demo, index) => ({
      documentHash: documentHash(documentKey, demoIdDocumentNumber(index)),
      subscriberId: demo.subscriberId,
    })),
    skipDuplicates: true,
  });
  return count;
}
