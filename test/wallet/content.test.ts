import { describe, expect, it } from "vitest";
import { displayValue, type ResolvedField, w3cDateTime } from "../../src/wallet/content";

const field = (overrides: Partial<ResolvedField>): ResolvedField => ({ key: "k", label: "L", shows: "static", value: "", ...overrides });

describe("displayValue: a field as people read it on the pass page and in Google's texts", () => {
  it("formats amounts for their currency", () => {
    expect(displayValue(field({ shows: "balance", value: 70, money: { minor: 7000, currency: "GBP" } }), "UTC")).toBe("£70.00");
    expect(displayValue(field({ shows: "balance", value: 1500, money: { minor: 1500, currency: "JPY" } }), "UTC")).toBe("JP¥1,500");
    expect(displayValue(field({ shows: "points", value: 120 }), "UTC")).toBe("120");
  });

  it("shows a local time as written, wherever the reader is, and other dates in the business's time zone", () => {
    const starts = field({ shows: "event_starts_at", value: "2027-01-01T20:00:00+01:00", date: { withTime: true, local: true } });
    expect(displayValue(starts, "America/New_York")).toBe("1 Jan 2027, 20:00");
    const expires = field({ shows: "expires_at", value: "2030-07-01T02:00:00Z", date: { withTime: false, local: false } });
    expect(displayValue(expires, "Europe/London")).toBe("1 Jul 2030");
    expect(displayValue(expires, "America/Los_Angeles")).toBe("30 Jun 2030");
    expect(displayValue(expires, "Not/AZone")).toBe("1 Jul 2030");
  });

  it("drops fractions of a second from W3C timestamps and keeps the offset", () => {
    expect(w3cDateTime("2027-01-01T20:00:00.000+01:00")).toBe("2027-01-01T20:00:00+01:00");
    expect(w3cDateTime("2030-06-30T23:59:59.500Z")).toBe("2030-06-30T23:59:59Z");
    expect(w3cDateTime("2030-06-30T23:59:59Z")).toBe("2030-06-30T23:59:59Z");
  });
});
