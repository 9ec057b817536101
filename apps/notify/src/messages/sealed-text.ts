import { open, seal } from "@omnihall/sealed-box";

/**
 * A message whose text holds a secret (a login code) is stored with the secret masked; its readable text waits
 * for the send sealed to notify's own key, bound to the recipient's number, and is dropped once sent, so neither
 * the database nor its backups nor ListMessages show a usable code.
 */
const context = (msisdn: string) => `notify.message.text:${msisdn}`;

/** What a secret looks like in a stored text: as long as a login code, so parts and lengths stay the same. */
export const MASK = "******";

export function sealMessageText(publicKey: string, text: string, msisdn: string): Uint8Array {
  return seal(publicKey, text, context(msisdn));
}

/** The text to send: the sealed one when there is one (it throws should the box not open), else the stored one. */
export function textToSend(
  privateKey: string | undefined,
  message: { text: string; sealed_text: Uint8Array | null; msisdn: string },
): string {
  if (!message.sealed_text) return message.text;
  if (!privateKey) throw new Error("a message with a sealed text, and no key to open it (NOTIFY_PRIVATE_KEY)");
  return open(privateKey, message.sealed_text, context(message.msisdn)).toString();
}
