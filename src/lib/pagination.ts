/** Cursor pages over id-ordered rows: queries fetch `limit + 1` rows so `has_more` needs no count. */
export function toPage<Row, Item extends { id: string }>(rows: Row[], limit: number, present: (row: Row) => Item) {
  const data = rows.slice(0, limit).map(present);
  const hasMore = rows.length > limit;
  return { data, has_more: hasMore, next_cursor: hasMore ? (data.at(-1)?.id ?? null) : null };
}
