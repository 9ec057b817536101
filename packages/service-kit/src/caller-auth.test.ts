import { Metadata } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { createCallerAuthenticator } from "./caller-auth.js";
import { DomainError } from "./domain-error.js";

const authenticate = createCallerAuthenticator(
  new Map([
    ["web-hall", "web-hall-key-0123456789"],
    ["kiosk", "kiosk-key-0123456789abc"],
  ]),
);

function withAuthorization(value?: string): Metadata {
  const metadata = new Metadata();
  if (value !== undefined) metadata.set("authorization", value);
  return metadata;
}

function reasonOf(metadata: Metadata): string {
  try {
    authenticate(metadata);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).reason;
  }
  throw new Error("expected the caller to be rejected");
}

describe("caller authentication", () => {
  it("names the caller whose key is presented", () => {
    expect(authenticate(withAuthorization("Bearer web-hall-key-0123456789"))).toBe("web-hall");
    expect(authenticate(withAuthorization("bearer kiosk-key-0123456789abc"))).toBe("kiosk");
  });

  it("tells a missing credential from an unknown one", () => {
    expect(reasonOf(withAuthorization())).toBe("CALLER_CREDENTIALS_MISSING");
    expect(reasonOf(withAuthorization("Basic d2ViOmtleQ=="))).toBe("CALLER_CREDENTIALS_MISSING");
    expect(reasonOf(withAuthorization("Bearer web-hall-key-012345678"))).toBe("CALLER_UNKNOWN");
    expect(reasonOf(withAuthorization("Bearer web-hall-key-0123456789x"))).toBe("CALLER_UNKNOWN");
  });
});
