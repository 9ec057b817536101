import type { ServiceDefinition } from "../service-definition.js";
import type { KnownCaller } from "./callers.js";

/** Who may call one RPC. */
export interface CallRule {
  /** The callers allowed; everyone else gets PERMISSION_DENIED CALLER_NOT_ALLOWED before the handler runs. */
  callers: readonly KnownCaller[];
  /**
   * Halls may call this without acting for anyone (asking for a login code, browsing the public catalog). By
   * default a hall must name the person or device it acts for.
   */
  anonymous?: boolean;
}

/**
 * A service's caller policy: one rule per RPC, declared beside its handlers. The type requires every method, and
 * `startService` refuses to start a service with a method the policy does not mention: deny by default.
 */
export type CallPolicy<D extends ServiceDefinition> = { readonly [K in keyof D]: CallRule };
