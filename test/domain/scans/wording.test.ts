import { describe, expect, it } from "vitest";
import { clockTime, timeLeft } from "../../../src/domain/scans/wording";

describe("cooldown wording", () => {
  it("says the time left in its two largest units, never less than what is left", () => {
    expect([1, 45, 59, 60, 61, 200, 3_599, 3_600, 3_601, 3_900, 3_930, 7_199, 86_400].map((s) => [s, timeLeft(s)])).toEqual([
      [1, "1s"],
      [45, "45s"],
      [59, "59s"],
      [60, "1m"],
      [61, "1m 1s"],
      [200, "3m 20s"],
      [3_599, "59m 59s"],
      [3_600, "1h"],
      [3_601, "1h 1m"],
      [3_900, "1h 5m"],
      [3_930, "1h 6m"],
      [7_199, "2h"],
      [86_400, "24h"],
    ]);
  });

  it("reads an instant as a 24-hour clock in a timezone, across daylight saving", () => {
    expect(clockTime("2026-01-15T13:30:00.000Z", "Europe/London")).toBe("13:30");
    expect(clockTime("2026-07-15T13:30:00.000Z", "Europe/London")).toBe("14:30");
    expect(clockTime("2026-07-15T13:30:00.000Z", "America/Los_Angeles")).toBe("06:30");
    expect(clockTime("2026-07-15T23:05:00.000Z", "Australia/Sydney")).toBe("09:05");
    expect(clockTime("2026-07-15T00:00:59.999Z", "UTC")).toBe("00:00");
  });
});
