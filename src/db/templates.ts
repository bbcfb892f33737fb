import { sql } from "drizzle-orm";
import type { Mode } from "../domain/enums";
import { completeDesign, type TemplateDesign } from "../domain/templates/design";
import type { Database } from "./client";
import type { templates } from "./schema";
import { allRows, statement } from "./statements";

export type TemplateRow = typeof templates.$inferSelect;

interface RawTemplate {
  id: string;
  business_id: string;
  mode: Mode;
  name: string;
  type: TemplateRow["type"];
  status: TemplateRow["status"];
  design: string;
  created_at: string;
  updated_at: string;
}

/** A row as SQLite returns it → the template as the rest of the code reads it. */
export const toTemplateRow = (r: RawTemplate): TemplateRow => ({
  id: r.id,
  businessId: r.business_id,
  mode: r.mode,
  name: r.name,
  type: r.type,
  status: r.status,
  design: completeDesign(JSON.parse(r.design) as TemplateDesign),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const first = async (rows: Promise<RawTemplate[]>) => {
  const [row] = await rows;
  return row && toTemplateRow(row);
};

/** A statement's RETURNING row, once its batch has run, as a template. */
export const returnedTemplate = (rows: RawTemplate[]) => (rows[0] ? toTemplateRow(rows[0]) : undefined);

/**
 * Inserts only while the business has fewer than `limit` active live templates: the check
 * and the write are one statement, so concurrent creations cannot pass the plan limit.
 */
export async function insertTemplateWithinLimit(db: Database, row: Omit<TemplateRow, "status" | "createdAt">, limit: number) {
  const within = Number.isFinite(limit)
    ? sql`(${row.mode} = 'test' OR (SELECT COUNT(*) FROM (SELECT 1 FROM templates WHERE business_id = ${row.businessId} AND mode = 'live' AND status = 'active' LIMIT ${limit})) < ${limit})`
    : sql`1`;
  return first(
    allRows<RawTemplate>(
      db,
      sql`
      INSERT INTO templates (id, business_id, mode, name, type, status, design, updated_at)
      SELECT ${row.id}, ${row.businessId}, ${row.mode}, ${row.name}, ${row.type}, 'active', ${JSON.stringify(row.design)}, ${row.updatedAt}
      WHERE ${within}
      RETURNING *`,
    ),
  );
}

export function findTemplate(db: Database, businessId: string, mode: Mode, id: string) {
  return first(allRows<RawTemplate>(db, sql`SELECT * FROM templates WHERE id = ${id} AND business_id = ${businessId} AND mode = ${mode}`));
}

export function findTemplateById(db: Database, id: string) {
  return first(allRows<RawTemplate>(db, sql`SELECT * FROM templates WHERE id = ${id}`));
}

export async function findTemplatesByIds(db: Database, ids: string[]) {
  if (ids.length === 0) return [];
  const list = sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  );
  return (await allRows<RawTemplate>(db, sql`SELECT * FROM templates WHERE id IN (${list})`)).map(toTemplateRow);
}

export async function listTemplates(db: Database, businessId: string, mode: Mode, options: { cursor?: string; limit: number }) {
  const rows = await allRows<RawTemplate>(
    db,
    sql`
    SELECT * FROM templates WHERE business_id = ${businessId} AND mode = ${mode} ${options.cursor ? sql`AND id < ${options.cursor}` : sql``}
    ORDER BY id DESC LIMIT ${options.limit + 1}`,
  );
  return rows.map(toTemplateRow);
}

/** Every template of a business, both modes: what a business edit re-renders. */
export function templateIdsOfBusiness(db: Database, businessId: string) {
  return allRows<{ id: string; mode: Mode }>(db, sql`SELECT id, mode FROM templates WHERE business_id = ${businessId}`);
}

/** The update, to run in the batch that also writes its event; read the row with `returnedTemplate`. */
export function updateTemplate(db: Database, id: string, changes: Partial<Pick<TemplateRow, "name" | "design" | "status">>, now: string) {
  const sets = [sql`updated_at = ${now}`];
  if (changes.name !== undefined) sets.push(sql`name = ${changes.name}`);
  if (changes.design !== undefined) sets.push(sql`design = ${JSON.stringify(changes.design)}`);
  if (changes.status !== undefined) sets.push(sql`status = ${changes.status}`);
  return statement(db, sql`UPDATE templates SET ${sql.join(sets, sql`, `)} WHERE id = ${id} RETURNING *`);
}

/** Deletes the template only if no pass uses it; otherwise archives it. Returns which. */
export async function deleteOrArchiveTemplate(db: Database, id: string, now: string): Promise<"deleted" | "archived"> {
  const [deleted] = await db.$client.batch([
    statement(db, sql`DELETE FROM templates WHERE id = ${id} AND NOT EXISTS (SELECT 1 FROM passes WHERE template_id = ${id}) RETURNING id`),
    statement(db, sql`UPDATE templates SET status = 'archived', updated_at = ${now} WHERE id = ${id} AND status != 'archived'`),
  ]);
  return deleted!.results.length === 1 ? "deleted" : "archived";
}
