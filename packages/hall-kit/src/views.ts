/**
 * Proto ↔ JSON views: how domain messages look in a hall's JSON. Enum values by name without their prefix
 * (`PAYMENT_METHOD_WECHAT_PAY` → `"WECHAT_PAY"`), fen as JSON integers (`fenOf`), times as ISO 8601.
 */
export interface EnumView<V extends number> {
  /** Every name a client may send or receive, in the contract's order (no UNSPECIFIED). */
  names: readonly string[];
  /** The JSON name of a value; "UNSPECIFIED" for the zero value or one this build does not know. */
  nameOf(value: V): string;
  /** The value of a JSON name (one of `names`: validate with `schema` first). */
  valueOf(name: string): V;
  /** JSON Schema for a field of this enum. */
  schema: { type: "string"; enum: string[] };
}

/** The view of a ts-proto enum (`enumView(PaymentMethod, "PAYMENT_METHOD_")`), from the contract itself. */
export function enumView<V extends number>(values: Record<string, string | V>, prefix: string): EnumView<V> {
  const entries = Object.entries(values).filter(
    (entry): entry is [string, V] =>
      typeof entry[1] === "number" && entry[0].startsWith(prefix) && entry[0] !== `${prefix}UNSPECIFIED`,
  );
  const byValue = new Map(entries.map(([key, value]) => [value, key.slice(prefix.length)]));
  const byName = new Map(entries.map(([key, value]) => [key.slice(prefix.length), value]));
  const names = [...byName.keys()];
  return {
    names,
    nameOf: (value) => byValue.get(value) ?? "UNSPECIFIED",
    valueOf: (name) => {
      const value = byName.get(name);
      if (value === undefined) throw new Error(`${name} is not one of ${prefix}*`);
      return value;
    },
    schema: { type: "string", enum: names },
  };
}

/** A protobuf Timestamp (a Date in ts-proto) as ISO 8601; absent stays absent. */
export function timeOf(value: Date | undefined): string | undefined {
  return value?.toISOString();
}
