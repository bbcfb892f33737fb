import { base64Decode, base64UrlEncode } from "./encoding";

/**
 * A page of rows: queries fetch `limit + 1` rows so `has_more` needs no count. `cursorOf` gives
 * the position after a row, which the next request passes back to continue from there.
 */
export function toPage<Row, Item>(rows: Row[], limit: number, present: (row: Row) => Item, cursorOf: (row: Row) => string) {
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  return { data: page.map(present), has_more: hasMore, next_cursor: hasMore ? cursorOf(page.at(-1)!) : null };
}

export type CursorKey = Array<string | number | null>;

/** Keyset cursors are opaque to clients: the sort key and id of the last row, as base64url JSON. */
export function encodeCursor(key: CursorKey): string {
  return base64UrlEncode(new TextEncoder().encode(JSON.stringify(key)));
}

/** The key inside a cursor, or undefined when the text is not a cursor of `length` parts. */
export function decodeCursor(text: string, length: number): CursorKey | undefined {
  try {
    const key: unknown = JSON.parse(new TextDecoder().decode(base64Decode(text)));
    const valid = Array.isArray(key) && key.length === length && key.every((k) => k === null || ["string", "number"].includes(typeof k));
    return valid ? (key as CursorKey) : undefined;
  } catch {
    return undefined;
  }
}
