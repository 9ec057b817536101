import { status } from "@grpc/grpc-js";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { OperatorServiceClient, OperatorStatus } from "@omnihall/proto/omnihall/customer/v1/operator";
import type { KnownCaller, OperatorParty } from "@omnihall/service-kit";
import { describe, expect, it, onTestFinished } from "vitest";
import { callFailure } from "@omnihall/channel-client/testing";
import { startCustomerHarness } from "../testing/customer-harness.js";
import { DEMO_OPERATOR_PASSWORD, DEMO_OPERATORS, seedOperators } from "./seed-operators.js";

const GD_AUTHOR = DEMO_OPERATORS[2];

async function operatorsFixture() {
  const harness = await startCustomerHarness();
  await seedOperators(harness.databaseUrl);
  const clientAs = (caller: KnownCaller) => {
    const client = createServiceClient(OperatorServiceClient, {
      address: harness.address,
      caller,
      credential: developmentCallerKey(caller),
    });
    onTestFinished(() => client.close());
    return client;
  };
  return { harness, console: clientAs("ops-console"), clientAs };
}

let attempt = 0;
const login = (password: string, operatorId: string = GD_AUTHOR.id) => ({
  requestId: `login-${(attempt += 1)}`,
  operatorId,
  password,
});

describe("OperatorService", () => {
  it("logs an operator in and answers their roles and province scope", async () => {
    const { console } = await operatorsFixture();
    const { operator } = await console.loginOperator(login(DEMO_OPERATOR_PASSWORD));
    expect(operator).toMatchObject({
      operatorId: GD_AUTHOR.id,
      roles: ["author", "approver"],
      provinceScope: "GD",
      status: OperatorStatus.OPERATOR_STATUS_ACTIVE,
    });
    const hq = await console.loginOperator(login(DEMO_OPERATOR_PASSWORD, DEMO_OPERATORS[1].id));
    expect(hq.operator).toMatchObject({ roles: ["approver"], provinceScope: "*" });
  });

  it("locks after five wrong passwords (a retried request counts once); unknown ids look like wrong passwords", async () => {
    const { console, harness } = await operatorsFixture();
    const unknown = await callFailure(console.loginOperator(login("whatever-123", "opr_nobody")));
    expect([unknown.code, unknown.reason]).toEqual([status.UNAUTHENTICATED, "OPERATOR_CREDENTIALS_WRONG"]);

    const first = login("wrong-password");
    expect((await callFailure(console.loginOperator(first))).reason).toBe("OPERATOR_CREDENTIALS_WRONG");
    expect((await callFailure(console.loginOperator(first))).reason).toBe("OPERATOR_CREDENTIALS_WRONG");
    const row = () => harness.db.operator.findUniqueOrThrow({ where: { id: GD_AUTHOR.id } });
    expect((await row()).failedPasswordAttempts).toBe(1);
    for (let i = 0; i < 3; i += 1) await callFailure(console.loginOperator(login("wrong-password")));
    const locking = await callFailure(console.loginOperator(login("wrong-password")));
    expect([locking.code, locking.reason]).toEqual([status.FAILED_PRECONDITION, "OPERATOR_LOCKED"]);
    // Locked: even the right password is refused.
    expect((await callFailure(console.loginOperator(login(DEMO_OPERATOR_PASSWORD)))).reason).toBe("OPERATOR_LOCKED");
    expect((await row()).status).toBe("LOCKED");
  });

  it("never gives a success to another password under the same request id (counted, REQUEST_ID_REUSED)", async () => {
    const { console, harness } = await operatorsFixture();
    const first = login(DEMO_OPERATOR_PASSWORD);
    expect((await console.loginOperator(first)).operator!.operatorId).toBe(GD_AUTHOR.id);
    // The same request again is answered as the first time.
    expect((await console.loginOperator(first)).operator!.operatorId).toBe(GD_AUTHOR.id);
    const replayed = await callFailure(console.loginOperator({ ...first, password: "guessing-123" }));
    expect([replayed.code, replayed.reason]).toEqual([status.ALREADY_EXISTS, "REQUEST_ID_REUSED"]);
    const row = await harness.db.operator.findUniqueOrThrow({ where: { id: GD_AUTHOR.id } });
    expect(row.failedPasswordAttempts).toBe(1);
  });

  it("refuses bad input and other callers; an operator reads only themselves unless HQ", async () => {
    const { console, clientAs } = await operatorsFixture();
    expect((await callFailure(console.loginOperator(login("short")))).reason).toBe("PASSWORD_MALFORMED");
    expect((await callFailure(console.loginOperator(login(DEMO_OPERATOR_PASSWORD, "agt_x")))).reason).toBe(
      "OPERATOR_ID_MALFORMED",
    );
    expect((await callFailure(clientAs("web-hall").loginOperator(login(DEMO_OPERATOR_PASSWORD)))).reason).toBe(
      "CALLER_NOT_ALLOWED",
    );
    const gd: OperatorParty = { kind: "operator", operatorId: GD_AUTHOR.id, roles: ["author"], provinceScope: "GD" };
    const own = await console.getOperator({ operatorId: GD_AUTHOR.id }, { party: gd });
    expect(own.operator!.name).toBe(GD_AUTHOR.name);
    const other = await callFailure(console.getOperator({ operatorId: DEMO_OPERATORS[0].id }, { party: gd }));
    expect(other.reason).toBe("OUTSIDE_PARTY_SCOPE");
    const hq: OperatorParty = { ...gd, operatorId: DEMO_OPERATORS[4].id, roles: ["viewer"], provinceScope: "*" };
    expect((await console.getOperator({ operatorId: GD_AUTHOR.id }, { party: hq })).operator!.provinceScope).toBe("GD");
  });
});
