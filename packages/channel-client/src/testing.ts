/** Test helpers for code that calls domain services through the channel client. */
import { ServiceCallError } from "./service-call-error.js";
import { expect } from "vitest";

/** The ServiceCallError a call fails with; fails the test when the call succeeds or fails some other way. */
export async function callFailure(call: Promise<unknown>): Promise<ServiceCallError> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ServiceCallError);
  return error as ServiceCallError;
}
