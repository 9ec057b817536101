import { Channel } from "@omnihall/proto/omnihall/common/v1/common";

/**
 * Proto enums on the wire are plain numbers: a caller may send a value this build does not know (decoded as
 * that number) or leave it UNSPECIFIED (0). Both are "not given" for our rules.
 */
export function isSpecified<E extends Record<string, string | number>>(enumObject: E, value: number): boolean {
  return value > 0 && Object.values(enumObject).includes(value);
}

/**
 * Enum values are stored by name without their prefix ("WEB_HALL" for CHANNEL_WEB_HALL), so the database reads
 * well and survives renumbering mistakes.
 */
export function enumName<E extends Record<string, string | number>>(enumObject: E, prefix: string, value: number) {
  const name = (enumObject as Record<number, string>)[value];
  if (!name || !isSpecified(enumObject, value)) throw new Error(`Not a stored ${prefix} value: ${value}`);
  return name.slice(prefix.length);
}

export function enumValue<E extends Record<string, string | number>>(enumObject: E, prefix: string, name: string) {
  const value = (enumObject as Record<string, string | number>)[prefix + name];
  if (typeof value !== "number") throw new Error(`Unknown stored ${prefix} name: ${name}`);
  return value as E[keyof E];
}

export const channelName = (channel: Channel) => enumName(Channel, "CHANNEL_", channel);
export const channelFromName = (name: string) => enumValue(Channel, "CHANNEL_", name);
export const isChannel = (channel: Channel) => isSpecified(Channel, channel);
