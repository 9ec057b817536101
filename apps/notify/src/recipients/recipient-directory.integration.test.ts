import { describe, expect, it } from "vitest";
import { InProcessBus } from "@omnihall/bus";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { loadCustomerConfig, seedCustomer, startCustomerService } from "@omnihall/customer";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { demoSubscribers } from "@omnihall/demo-data";
import { CustomerServiceClient } from "@omnihall/proto/omnihall/customer/v1/customer";
import { DomainError } from "@omnihall/service-kit";
import { silentLogger } from "../testing/sms-fixture.js";
import { RecipientDirectory } from "./recipient-directory.js";

const [, , , , , , , english] = demoSubscribers(8);

async function reason(lookup: Promise<unknown>): Promise<string> {
  const error = await lookup.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  return (error as DomainError).reason;
}

describe("RecipientDirectory against the customer service", () => {
  it("answers from its cache while the customer service is down, until the entry expires", async () => {
    const database = await migratedTestDatabase(new URL("../../../customer/", import.meta.url));
    await seedCustomer(database.url);
    const bus = new InProcessBus({ logger: silentLogger });
    const customer = await startCustomerService({
      config: loadCustomerConfig({ DATABASE_URL: database.url, PORT: "0", DATABASE_POOL_SIZE: "2" }),
      bus,
      logger: silentLogger,
    });
    const client = createServiceClient(CustomerServiceClient, {
      address: customer.address,
      caller: "notify",
      credential: developmentCallerKey("notify"),
      defaultDeadlineMs: 1_000,
      retry: { maxAttempts: 1 },
    });
    const directory = new RecipientDirectory(client, { ttlMs: 1_000 });
    try {
      expect(await directory.byId(english!.subscriberId)).toEqual({
        subscriberId: english!.subscriberId,
        msisdn: english!.msisdn,
        language: "en",
        timeZone: "Asia/Shanghai",
        active: true,
      });
      expect(await reason(directory.byId("sub_nobody"))).toBe("SUBSCRIBER_NOT_FOUND");
      expect(await reason(directory.byMsisdn("12"))).toBe("MSISDN_MALFORMED");
      expect((await directory.byMsisdn(english!.msisdn)).subscriberId).toBe(english!.subscriberId);

      await customer.stop();
      expect((await directory.byId(english!.subscriberId)).msisdn).toBe(english!.msisdn);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await reason(directory.byId(english!.subscriberId))).toBe("CUSTOMER_UNAVAILABLE");
    } finally {
      client.close();
      await customer.stop();
      await bus.close();
    }
  });
});
