import { describe, expect, it } from "vitest";
import { newId, newSerialNumber, SERIAL_PATTERN } from "../../src/lib/ids";

describe("ids", () => {
  it("prefixes ids with their type and sorts them by creation time", () => {
    const first = newId("pass", 1_700_000_000_000);
    const second = newId("pass", 1_700_000_000_001);
    expect(first).toMatch(/^pass_[0-9a-z]{26}$/);
    expect(first < second).toBe(true);
  });

  it("mints human-readable serial numbers", () => {
    const serials = new Set(Array.from({ length: 1000 }, () => newSerialNumber()));
    expect(serials.size).toBe(1000);
    for (const serial of serials) expect(serial).toMatch(SERIAL_PATTERN);
  });
});
