import { and, desc, eq, lt, ne, sql } from "drizzle-orm";
import type { Mode } from "../types";
import type { Database } from "./client";
import { templates } from "./schema";

export type TemplateRow = typeof templates.$inferSelect;

/**
 * Inserts only while the business has fewer than `limit` active live templates: the check
 * and the write are one statement, so concurrent creations cannot pass the plan limit.
 */
export async function insertTemplateWithinLimit(db: Database, row: typeof templates.$inferInsert & { updatedAt: string }, limit: number) {
  const unlimited = !Number.isFinite(limit);
  const rows = await db.all<TemplateRow>(sql`
    INSERT INTO templates (id, business_id, mode, name, type, status, design, updated_at)
    SELECT ${row.id}, ${row.businessId}, ${row.mode}, ${row.name}, ${row.type}, 'active', ${JSON.stringify(row.design)}, ${row.updatedAt}
    WHERE ${row.mode} = 'test' OR ${unlimited ? 1 : 0} OR (
      SELECT COUNT(*) FROM templates WHERE business_id = ${row.businessId} AND mode = 'live' AND status = 'active'
    ) < ${unlimited ? 0 : limit}
    RETURNING id`);
  return rows.length === 1;
}

export function findTemplate(db: Database, businessId: string, mode: Mode, id: string) {
  return db
    .select()
    .from(templates)
    .where(and(eq(templates.id, id), eq(templates.businessId, businessId), eq(templates.mode, mode)))
    .get();
}

export function findTemplateById(db: Database, id: string) {
  return db.select().from(templates).where(eq(templates.id, id)).get();
}

export function listTemplates(db: Database, businessId: string, mode: Mode, options: { cursor?: string; limit: number }) {
  const conditions = [eq(templates.businessId, businessId), eq(templates.mode, mode)];
  if (options.cursor) conditions.push(lt(templates.id, options.cursor));
  return db
    .select()
    .from(templates)
    .where(and(...conditions))
    .orderBy(desc(templates.id))
    .limit(options.limit + 1)
    .all();
}

export function updateTemplate(db: Database, id: string, changes: Partial<Pick<TemplateRow, "name" | "design" | "status">>) {
  return db
    .update(templates)
    .set({ ...changes, updatedAt: new Date().toISOString() })
    .where(eq(templates.id, id))
    .returning()
    .get();
}

/** Deletes the template only if no pass uses it; otherwise archives it. Returns which. */
export async function deleteOrArchiveTemplate(db: Database, id: string): Promise<"deleted" | "archived"> {
  const [deleted] = await db.batch([
    db
      .delete(templates)
      .where(and(eq(templates.id, id), sql`NOT EXISTS (SELECT 1 FROM passes WHERE template_id = ${id})`))
      .returning({ id: templates.id }),
    db
      .update(templates)
      .set({ status: "archived", updatedAt: new Date().toISOString() })
      .where(and(eq(templates.id, id), ne(templates.status, "archived"))),
  ]);
  return deleted.length === 1 ? "deleted" : "archived";
}
