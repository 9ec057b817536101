import { status } from "@grpc/grpc-js";
import { KNOWN_CALLERS } from "@omnihall/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROTO_SERVICES, call, emptyRequest, methodsOf, partyFor } from "./access-cases.js";
import { startPlatformUnderTest, type PlatformUnderTest } from "./platform-under-test.js";

/** What the kit's gate answers before any handler: none of these may come back to an allowed caller. */
const GATE_REFUSALS = [
  "CALLER_NOT_ALLOWED",
  "CALLER_UNKNOWN",
  "ACTING_PARTY_REQUIRED",
  "ACTING_PARTY_INVALID",
  "PARTY_KIND_NOT_ALLOWED",
];

let platform: PlatformUnderTest;
beforeAll(async () => {
  platform = await startPlatformUnderTest();
}, 240_000);
afterAll(() => platform?.stop());

/**
 * The declared tables against the running services: every RPC of every proto service × every known caller,
 * each with its development key and a valid party of a kind it may assert (so the policy alone decides).
 * PERMISSION_DENIED CALLER_NOT_ALLOWED exactly where the table says no.
 */
describe.each(PROTO_SERVICES)("caller policy of $name", ({ name, Client, policy }) => {
  it.each(methodsOf(Client).map(([methodName]) => methodName))(
    `%s answers each caller as its rule says`,
    async (methodName) => {
      expect(policy, `${name} exports no policy`).toBeDefined();
      const rule = policy![methodName];
      expect(rule, `${name}.${methodName} has no caller rule`).toBeDefined();
      const method = methodsOf(Client).find(([candidate]) => candidate === methodName)![1];

      const outcomes = await Promise.all(
        KNOWN_CALLERS.map(async (caller) => ({
          caller,
          allowed: rule!.callers.includes(caller),
          ...(await call(platform, Client, methodName, caller, emptyRequest(method), partyFor(caller))),
        })),
      );
      for (const outcome of outcomes) {
        const label = `${name}.${methodName} as ${outcome.caller}`;
        if (outcome.allowed) {
          expect(GATE_REFUSALS, `${label}: ${outcome.reason}`).not.toContain(outcome.reason);
        } else {
          expect([outcome.code, outcome.reason], label).toEqual([status.PERMISSION_DENIED, "CALLER_NOT_ALLOWED"]);
        }
      }
    },
  );
});
