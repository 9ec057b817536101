import { describe, expect, it } from "vitest";
import { serviceAddress } from "./env-pieces.js";

describe("serviceAddress", () => {
  const address = serviceAddress("127.0.0.1:50051");

  it("takes host:port and the gRPC targets that list or resolve several instances", () => {
    expect(address.parse(undefined)).toBe("127.0.0.1:50051");
    for (const target of [
      "customer:50051",
      "dns:///customer.omnihall.svc:50051",
      "ipv4:127.0.0.1:50051,127.0.0.1:50151",
      "ipv6:[::1]:50051",
    ]) {
      expect(address.parse(target)).toBe(target);
    }
  });

  it("refuses what no client could dial", () => {
    for (const bad of ["customer", "customer:port", "http://customer:50051", "a:1,b:2", " customer:50051"]) {
      expect(address.safeParse(bad).success).toBe(false);
    }
  });
});
