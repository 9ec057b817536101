import { developmentCredentials } from "@omnihall/config";
import { z } from "zod";
import { developmentSealingKeys, isSealingKey } from "./sealed-box.js";

const KEY_FORMAT = { error: "must be an X25519 key: 32 bytes in base64url (43 characters)" };

/**
 * A public key secrets are sealed to (`owner`'s), for loadConfig. Defaults to the owner's development key, which
 * production refuses along with every other development credential.
 */
export function sealingPublicKey(owner: string) {
  const development = developmentSealingKeys(owner).publicKey;
  return z
    .string()
    .refine(isSealingKey, KEY_FORMAT)
    .default(development)
    .register(developmentCredentials, { isDevelopmentValue: (raw) => raw === development });
}

/** `owner`'s own private key, to open what was sealed to it; production refuses the development key. */
export function sealingPrivateKey(owner: string) {
  const development = developmentSealingKeys(owner).privateKey;
  return z
    .string()
    .refine(isSealingKey, KEY_FORMAT)
    .default(development)
    .register(developmentCredentials, { isDevelopmentValue: (raw) => raw === development });
}
