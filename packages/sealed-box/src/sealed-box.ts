import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from "node:crypto";

/**
 * Sealed boxes: a secret (a login code, say) sealed to one recipient's public key, so that whatever carries or
 * keeps it on the way — an outbox table, a NATS stream, a message queue — holds nothing readable. Only the holder
 * of the private key opens it, and only under the same context (e.g. the phone number it is for): a sealed code
 * copied into another number's event does not open.
 *
 * ECIES over X25519: a fresh ephemeral key per box, HKDF-SHA256 over the shared secret (salted with both public
 * keys), AES-256-GCM with the context as additional data. Layout: version (1) | ephemeral public key (32) |
 * nonce (12) | ciphertext | tag (16).
 */

const VERSION = 1;
const KEY_LENGTH = 32;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const HEADER_LENGTH = 1 + KEY_LENGTH + NONCE_LENGTH;
const INFO = Buffer.from("omnihall sealed-box v1");

// DER prefixes of X25519 keys (RFC 8410): SPKI for public keys, PKCS#8 for private ones, each then the raw 32 bytes.
const SPKI_PREFIX = Buffer.from("302a300506032b656e032100", "hex");
const PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");

/** A key pair as configured: each key its raw 32 bytes in base64url (43 characters). */
export interface SealingKeyPair {
  publicKey: string;
  privateKey: string;
}

/** A box that does not open: not sealed to this key, not for this context, damaged, or not a box at all. */
export class SealedBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SealedBoxError";
  }
}

function rawKey(encoded: string, what: string): Buffer {
  const raw = Buffer.from(encoded, "base64url");
  if (raw.length !== KEY_LENGTH || raw.toString("base64url") !== encoded) {
    throw new SealedBoxError(
      `${what} must be ${KEY_LENGTH} bytes in base64url (${Math.ceil((KEY_LENGTH * 4) / 3)} characters)`,
    );
  }
  return raw;
}

function publicKeyObject(encoded: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, rawKey(encoded, "a public key")]),
    format: "der",
    type: "spki",
  });
}

function privateKeyObject(encoded: string): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, rawKey(encoded, "a private key")]),
    format: "der",
    type: "pkcs8",
  });
}

function rawPublicKey(key: KeyObject): Buffer {
  return key.export({ format: "der", type: "spki" }).subarray(SPKI_PREFIX.length);
}

function boxKey(shared: Buffer, ephemeral: Buffer, recipient: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", shared, Buffer.concat([ephemeral, recipient]), INFO, KEY_LENGTH));
}

/** Whether `encoded` is a well-formed key (raw 32 bytes, base64url). */
export function isSealingKey(encoded: string): boolean {
  try {
    rawKey(encoded, "key");
    return true;
  } catch {
    return false;
  }
}

/** A fresh key pair (for operators: `npx tsx -e "…generateSealingKeyPair()…"`, see the README). */
export function generateSealingKeyPair(): SealingKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("x25519");
  return {
    publicKey: rawPublicKey(publicKey).toString("base64url"),
    privateKey: privateKey.export({ format: "der", type: "pkcs8" }).subarray(PKCS8_PREFIX.length).toString("base64url"),
  };
}

/** The public key that belongs to a private key. */
export function publicKeyOf(privateKey: string): string {
  return rawPublicKey(createPublicKey(privateKeyObject(privateKey))).toString("base64url");
}

/**
 * The key pair development and tests use for `owner`, derived from its name: anyone can compute it, so
 * production configuration refuses it (see sealingPublicKey / sealingPrivateKey).
 */
export function developmentSealingKeys(owner: string): SealingKeyPair {
  const privateKey = createHash("sha256").update(`omnihall development sealing key: ${owner}`).digest("base64url");
  return { publicKey: publicKeyOf(privateKey), privateKey };
}

/** Seals `secret` to the holder of `recipientPublicKey`, to be opened under the same `context` only. */
export function seal(recipientPublicKey: string, secret: string | Uint8Array, context: string): Uint8Array {
  const recipient = publicKeyObject(recipientPublicKey);
  const ephemeral = generateKeyPairSync("x25519");
  const ephemeralPublic = rawPublicKey(ephemeral.publicKey);
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient });
  const key = boxKey(shared, ephemeralPublic, rawPublicKey(recipient));
  const nonce = randomBytes(NONCE_LENGTH);
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), ephemeralPublic, nonce, body, cipher.getAuthTag()]);
}

/** Opens a box sealed to `privateKey`'s public key under `context`; throws SealedBoxError otherwise. */
export function open(privateKey: string, box: Uint8Array, context: string): Buffer {
  const sealed = Buffer.from(box);
  if (sealed.length < HEADER_LENGTH + TAG_LENGTH || sealed[0] !== VERSION) {
    throw new SealedBoxError("not a sealed box of a known version");
  }
  const own = privateKeyObject(privateKey);
  const ephemeralPublic = sealed.subarray(1, 1 + KEY_LENGTH);
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey: own, publicKey: publicKeyObject(ephemeralPublic.toString("base64url")) });
  } catch {
    throw new SealedBoxError("the box's ephemeral key is not a usable X25519 key");
  }
  const key = boxKey(shared, ephemeralPublic, rawPublicKey(createPublicKey(own)));
  const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(1 + KEY_LENGTH, HEADER_LENGTH), {
    authTagLength: TAG_LENGTH,
  });
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(HEADER_LENGTH, sealed.length - TAG_LENGTH)),
      decipher.final(),
    ]);
  } catch {
    throw new SealedBoxError("the box does not open: sealed to another key, for another context, or damaged");
  }
}
