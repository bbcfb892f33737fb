import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMoney, toMajorUnits, toMinorUnits } from "../../src/domain/money";

describe("money", () => {
  it("converts decimal text without floating-point drift", () => {
    expect(toMinorUnits("0.1", "GBP") + toMinorUnits("0.2", "GBP")).toBe(30);
    expect(toMinorUnits(104.7, "GBP")).toBe(10470);
    expect(toMinorUnits("85.0", "GBP")).toBe(8500);
    expect(toMinorUnits(1000, "JPY")).toBe(1000);
    expect(toMinorUnits("1.234", "KWD")).toBe(1234);
    expect(toMajorUnits(8500, "GBP")).toBe(85);
    expect(toMajorUnits(470, "GBP")).toBe(4.7);
    expect(toMajorUnits(1234, "KWD")).toBe(1.234);
  });

  it("refuses more decimals than the currency has", () => {
    expect(() => toMinorUnits("1.001", "GBP")).toThrow(/decimal places/);
    expect(() => toMinorUnits("1.5", "JPY")).toThrow(/decimal places/);
    expect(() => toMinorUnits("abc", "GBP")).toThrow();
  });

  it("round-trips every two-decimal amount", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), (minor) => {
        const major = toMajorUnits(minor, "GBP");
        expect(toMinorUnits(major, "GBP")).toBe(minor);
      }),
    );
  });
});

describe("formatMoney", () => {
  it("writes amounts the way people read them in that currency", () => {
    expect(formatMoney(7000, "GBP")).toBe("£70.00");
    expect(formatMoney(1234567, "EUR")).toBe("€12,345.67");
    expect(formatMoney(1500, "JPY")).toBe("JP¥1,500");
    expect(formatMoney(1234, "KWD")).toBe("KWD\u00a01.234");
  });
});
