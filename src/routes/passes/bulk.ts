import type { z } from "@hono/zod-openapi";

export type ItemResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** Validates each bulk item on its own, so one bad item is reported, not the whole request refused. */
export function validateItems<S extends z.ZodType>(schema: S, items: unknown[]) {
  return items.map((item) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) return { ok: true as const, value: parsed.data as z.infer<S> };
    const message = parsed.error.issues.map((i) => `${i.path.join(".") || "item"}: ${i.message}`).join("; ");
    return { ok: false as const, code: "validation_error", message };
  });
}

/**
 * Merges per-item validation failures with the domain's outcomes for the valid items, in
 * request order, into the reference's `{total, succeeded, failed, results}`.
 */
export function bulkResponse<T, P>(
  validated: Array<{ ok: true; value: T } | { ok: false; code: string; message: string }>,
  outcomes: Array<ItemResult<P>>,
  status: "created" | "updated",
) {
  let next = 0;
  const results = validated.map((item, index) => {
    const outcome: ItemResult<P> = item.ok ? outcomes[next++]! : item;
    return outcome.ok
      ? { index, status, pass: outcome.value }
      : { index, status: "error" as const, error: { code: outcome.code, message: outcome.message } };
  });
  const succeeded = results.filter((r) => r.status !== "error").length;
  return { total: results.length, succeeded, failed: results.length - succeeded, results };
}
