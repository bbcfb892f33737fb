import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Whether an `Authorization` header carries the shared secret. Both sides are hashed first so the
 * comparison takes the same time whatever the length or content of what was sent.
 */
export function carriesSecret(header: string | undefined, secret: string): boolean {
  const presented = /^Bearer (.+)$/i.exec(header ?? "")?.[1] ?? "";
  return timingSafeEqual(digest(presented), digest(secret));
}
