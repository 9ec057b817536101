/**
 * What ts-proto generates for every message type (`MessageFns<T>`), narrowed to what the bus needs, so any
 * generated message works as an event payload without this package depending on one service's contracts.
 */
export interface MessageCodec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
}

/** One kind of fact a domain publishes: its subject and how its protobuf payload is written and read. */
export interface EventDefinition<T = unknown, S extends string = string> {
  readonly subject: S;
  /** First subject token; the domain's stream holds every subject below it. */
  readonly domain: string;
  readonly codec: MessageCodec<T>;
}

/** The message type an event definition carries. */
export type EventMessage<E> = E extends EventDefinition<infer T, string> ? T : never;

// `<domain>.<entity>.<past-tense>`, e.g. `billing.payment.completed`, `usage.quota.threshold_crossed`.
const SUBJECT = /^([a-z][a-z0-9]*)\.[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/;

/**
 * Declares an event once, next to its proto message, so publishing and handling are typed by it:
 * `export const PaymentCompleted = defineEvent("billing.payment.completed", PaymentCompletedEvent);`
 */
export function defineEvent<T, S extends string>(subject: S, messageFns: MessageCodec<T>): EventDefinition<T, S> {
  return { subject, domain: domainOf(subject), codec: messageFns };
}

/** The domain of an event subject; throws when the subject does not follow `<domain>.<entity>.<past-tense>`. */
export function domainOf(subject: string): string {
  const match = SUBJECT.exec(subject);
  if (!match) {
    throw new Error(
      `Event subject "${subject}" must look like <domain>.<entity>.<past-tense> (lowercase, e.g. billing.payment.completed)`,
    );
  }
  return match[1]!;
}

/** The name of the one stream that holds a domain's events, e.g. `BILLING` for `billing.>`. */
export function streamName(domain: string): string {
  return domain.toUpperCase();
}
