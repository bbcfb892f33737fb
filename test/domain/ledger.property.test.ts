import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { scopePermissions } from "../../src/domain/auth/permissions";
import { applyAction, type PassAction } from "../../src/domain/passes/actions";
import { issuePass } from "../../src/domain/passes/issue";
import { presentPass } from "../../src/domain/passes/present";
import { ApiError } from "../../src/lib/errors";
import type { Principal } from "../../src/types";
import { businessWithTemplates, tenantOf } from "../support/api";

type Step = Extract<PassAction, { kind: "charge" | "topup" | "stamp" | "points" }>;

const amount = fc
  .tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 99 }))
  .filter(([whole, cents]) => whole + cents > 0)
  .map(([whole, cents]) => `${whole}.${String(cents).padStart(2, "0")}`);

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("charge" as const), amount }),
  fc.record({ kind: fc.constant("topup" as const), amount }),
  fc.record({ kind: fc.constant("stamp" as const), count: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant("points" as const), points: fc.integer({ min: 1, max: 500 }) }),
);

describe("ledger invariants (property)", () => {
  it("any sequence of actions keeps balance = sum of ledger, never negative, never fractional", async () => {
    const { businessId, loyalty, giftCard } = await businessWithTemplates();
    const tenant = await tenantOf(businessId);
    const principal: Principal = {
      kind: "api_key",
      businessId,
      shard: tenant.shard,
      serialPrefix: "PROPS",
      plan: "pro",
      timezone: "UTC",
      mode: "live",
      permissions: scopePermissions([]),
      credentialId: "property",
    };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 5000 }), fc.array(step, { minLength: 1, maxLength: 12 }), async (openingCents, steps) => {
        const gift = await issuePass(tenant, principal, { template_id: giftCard.id, initial_balance: openingCents / 100 });
        const card = await issuePass(tenant, principal, { template_id: loyalty.id });
        for (const s of steps) {
          const target = s.kind === "charge" || s.kind === "topup" ? gift : card;
          try {
            await applyAction(tenant, principal, target.id, s);
          } catch (error) {
            // Only an overdraft may be refused, and it must say so.
            expect(error).toBeInstanceOf(ApiError);
            expect((error as ApiError).message).toMatch(/^Insufficient balance/);
          }
        }
        const rows = await tenant.db.$client
          .prepare(
            `SELECT p.id, p.balance_minor, p.points, p.stamps,
             (SELECT COALESCE(SUM(delta), 0) FROM ledger_entries l WHERE l.pass_id = p.id AND l.kind = 'balance') AS balance_sum,
             (SELECT COALESCE(SUM(delta), 0) FROM ledger_entries l WHERE l.pass_id = p.id AND l.kind = 'points') AS points_sum,
             (SELECT COALESCE(SUM(delta), 0) FROM ledger_entries l WHERE l.pass_id = p.id AND l.kind = 'stamps') AS stamps_sum
           FROM passes p WHERE p.id IN (?, ?)`,
          )
          .bind(gift.id, card.id)
          .all<{
            id: string;
            balance_minor: number | null;
            points: number;
            stamps: number;
            balance_sum: number;
            points_sum: number;
            stamps_sum: number;
          }>();
        for (const row of rows.results) {
          expect(row.balance_sum).toBe(row.balance_minor ?? 0);
          expect(row.points_sum).toBe(row.points);
          expect(row.stamps_sum).toBe(row.stamps);
          expect(Number.isInteger(row.balance_minor ?? 0)).toBe(true);
          expect(row.balance_minor ?? 0).toBeGreaterThanOrEqual(0);
        }
        const row = rows.results.find((r) => r.id === gift.id)!;
        const view = presentPass({ ...gift, balance_minor: row.balance_minor }, "https://x.test");
        expect(view.balance).toBe(Number((row.balance_minor! / 100).toFixed(2)));
      }),
      { numRuns: 40 },
    );
  });
});
