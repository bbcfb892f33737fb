// The few DER encoders the pass signature needs. Writing bytes directly (instead of building a
// forge.asn1 tree per pass) keeps the per-pass work to a handful of small copies, and lets the
// certificates go into the signature byte-for-byte as issued.

import { concatBytes } from "../../lib/bytes";

export { concatBytes };

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One tag-length-value; `tag` is the full identifier octet (e.g. 0x30 SEQUENCE, 0xa0 [0] constructed). */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = concatBytes(contents);
  return concatBytes([Uint8Array.of(tag), encodeLength(body.length), body]);
}

export const TAG = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
  CONTEXT_0: 0xa0,
} as const;

export const sequence = (...items: Uint8Array[]) => tlv(TAG.SEQUENCE, ...items);
export const integer = (value: number) => tlv(TAG.INTEGER, Uint8Array.of(value)); // small non-negative only
export const octetString = (bytes: Uint8Array) => tlv(TAG.OCTET_STRING, bytes);
export const nullValue = () => tlv(TAG.NULL);

/** OBJECT IDENTIFIER from dotted notation. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  const body: number[] = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift(0x80 | (n & 0x7f));
    body.push(...chunk);
  }
  return tlv(TAG.OID, Uint8Array.from(body));
}

/** RFC 5652 Time: UTCTime for 1950–2049, GeneralizedTime otherwise, always UTC to the second. */
export function time(date: Date): Uint8Array {
  const year = date.getUTCFullYear();
  const pad = (n: number) => String(n).padStart(2, "0");
  const rest = `${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}Z`;
  const utc = year >= 1950 && year < 2050;
  const text = (utc ? pad(year % 100) : String(year).padStart(4, "0")) + rest;
  return tlv(utc ? TAG.UTC_TIME : TAG.GENERALIZED_TIME, new TextEncoder().encode(text));
}

/** DER SET OF: elements sorted by their encodings (X.690 11.6), as verifiers re-encode them that way. */
export function setOf(tag: number, elements: readonly Uint8Array[]): Uint8Array {
  const sorted = [...elements].sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
    return a.length - b.length;
  });
  return tlv(tag, ...sorted);
}
