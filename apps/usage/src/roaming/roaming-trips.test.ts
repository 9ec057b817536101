import { describe, expect, it } from "vitest";
import { tripStart } from "./roaming-trips.js";

const DAY = 24 * 3600_000;
const at = (day: number) => new Date(Date.UTC(2026, 10, 1) + day * DAY);

describe("tripStart", () => {
  it("starts a trip with the first usage ever in the country", () => {
    expect(tripStart([at(3), at(2)], null, 30 * DAY)).toEqual(at(2));
  });

  it("starts none while usage continues within the gap, nor for late records of the trip", () => {
    expect(tripStart([at(10), at(12)], at(9), 30 * DAY)).toBeNull();
    expect(tripStart([at(1)], at(9), 30 * DAY)).toBeNull();
  });

  it("starts a new trip with the first usage after a long gap", () => {
    expect(tripStart([at(50), at(45), at(5)], at(4), 30 * DAY)).toEqual(at(45));
  });
});
