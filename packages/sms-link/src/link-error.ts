/**
 * Why a gateway link (SMPP or CMPP) failed. The names match what an SMS sender classifies (notify's
 * SmsProviderError uses the same ones), so an owner can map one onto the other by name.
 */
export type LinkFailure =
  "CONNECTION_LOST" | "TIMEOUT" | "BIND_REJECTED" | "PROVIDER_TEMPORARY" | "PROVIDER_CLOSED" | "THROTTLED" | "REJECTED";

export interface LinkErrorOptions {
  /** What the gateway answered (SMPP command_status, CMPP Status). */
  providerCode?: number;
  cause?: unknown;
}

/** Builds the error a link fails with; the owner may give its own so its callers see one error type. */
export type LinkErrorFactory<E extends Error> = (reason: LinkFailure, detail: string, options?: LinkErrorOptions) => E;

export class LinkError extends Error {
  readonly providerCode: number | undefined;

  constructor(
    readonly reason: LinkFailure,
    /** Technical detail for logs. */
    readonly detail: string,
    options: LinkErrorOptions = {},
  ) {
    super(`${reason}: ${detail}`, { cause: options.cause });
    this.name = "LinkError";
    this.providerCode = options.providerCode;
  }
}

export const linkError: LinkErrorFactory<LinkError> = (reason, detail, options) =>
  new LinkError(reason, detail, options);
