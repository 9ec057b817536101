import { withIdCheckCharacter, withLuhnDigit } from "@omnihall/orders";

/** A tiny JPEG-looking photo (the services check type and size, not pixels). */
export const PHOTO = {
  contentType: "image/jpeg",
  base64: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 9, 9, 0xff, 0xd9]).toString("base64"),
};

export function openingBody(number: string, overrides: Record<string, unknown> = {}) {
  return {
    name: "张三",
    idNumber: withIdCheckCharacter("44030519900307123"),
    address: "深圳市南山区科技园 1 号",
    idPhoto: PHOTO,
    number,
    iccid: withLuhnDigit("8986001912345678901"),
    planCode: "PLAN_5G_59",
    ...overrides,
  };
}
