export {
  SealedBoxError,
  developmentSealingKeys,
  generateSealingKeyPair,
  isSealingKey,
  open,
  publicKeyOf,
  seal,
  type SealingKeyPair,
} from "./sealed-box.js";
export { sealingPrivateKey, sealingPublicKey } from "./config.js";
