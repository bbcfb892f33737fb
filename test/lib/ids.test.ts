import { describe, expect, it } from "vitest";
import { newId, newSerialNumber, newSerialPrefix } from "../../src/lib/ids";

// Crockford base32 upper case: digits and letters without I, L, O, U.
const CROCKFORD = "[0-9ABCDEFGHJKMNPQRSTVWXYZ]";

describe("ids", () => {
  it("prefixes ids with their type and sorts them by creation time", () => {
    const first = newId("pass", 1_700_000_000_000);
    const second = newId("pass", 1_700_000_000_001);
    expect(first).toMatch(/^pass_[0-9a-z]{26}$/);
    expect(first < second).toBe(true);
  });

  it("mints serials that carry the business's prefix and ten unambiguous random characters", () => {
    const prefix = newSerialPrefix();
    expect(prefix).toMatch(new RegExp(`^${CROCKFORD}{5}$`));
    const serials = new Set(Array.from({ length: 1000 }, () => newSerialNumber(prefix)));
    expect(serials.size).toBe(1000);
    for (const serial of serials) expect(serial).toMatch(new RegExp(`^PL-${prefix}-${CROCKFORD}{5}-${CROCKFORD}{5}$`));
    const randomPart = [...serials].map((s) => s.slice(9)).join("");
    expect(randomPart).not.toMatch(/[ILOU]/);
  });
});
