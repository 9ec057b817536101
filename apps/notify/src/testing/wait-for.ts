import { waitFor as waitForCondition } from "@omnihall/testkit";

// The poll loop lives in the testkit now. This adapter (the old positional timeout) stays only for the
// src/delivery tests, which another change is editing at the moment; they move to `@omnihall/testkit` next and
// this file goes.
export const waitFor = <T>(what: string, check: () => T | Promise<T>, timeoutMs?: number) =>
  waitForCondition(what, check, { timeoutMs });
