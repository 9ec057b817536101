import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { CustomerServiceClient } from "@omnihall/proto/omnihall/customer/v1/customer";
import { describe, expect, it } from "vitest";
import { callFailure } from "@omnihall/channel-client/testing";
import { startCustomerHarness } from "./testing/customer-harness.js";

describe("customer service", () => {
  it("refuses callers whose key it does not know", async () => {
    const { address, addSubscriber } = await startCustomerHarness();
    const { id, msisdn } = await addSubscriber();
    const callAs = async (caller: string, credential: string) => {
      const client = createServiceClient(CustomerServiceClient, { address, caller, credential });
      try {
        return await callFailure(client.getSubscriber({ subscriberId: id }));
      } finally {
        client.close();
      }
    };

    const stranger = await callAs("stranger", developmentCallerKey("stranger"));
    expect([stranger.code, stranger.reason]).toEqual([16, "CALLER_UNKNOWN"]); // UNAUTHENTICATED
    expect((await callAs("web-hall", "a-guessed-key-for-the-web-hall")).reason).toBe("CALLER_UNKNOWN");
    const known = createServiceClient(CustomerServiceClient, {
      address,
      caller: "web-hall",
      credential: developmentCallerKey("web-hall"),
    });
    const party = { kind: "subscriber", subscriberId: id, msisdn } as const;
    expect((await known.getSubscriber({ subscriberId: id }, { party })).subscriber?.subscriberId).toBe(id);
    known.close();
  });
});
