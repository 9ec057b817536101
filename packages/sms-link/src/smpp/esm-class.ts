/** esm_class message-type bits (2–5, SMPP 3.4 §5.2.12); 0x04 marks an SMSC delivery receipt. */
const MESSAGE_TYPE_MASK = 0x3c;
const SMSC_DELIVERY_RECEIPT = 0x04;
/** esm_class bit 6: short_message starts with a user data header. */
export const ESM_CLASS_UDHI = 0x40;

export function isDeliveryReceipt(esmClass: number): boolean {
  return (esmClass & MESSAGE_TYPE_MASK) === SMSC_DELIVERY_RECEIPT;
}
