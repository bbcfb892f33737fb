import { base64Decode } from "../../lib/encoding";
import { type Expiring, ExpiringCache } from "../../lib/expiring-cache";
import { defaultFetch, describeError, type FetchLike } from "../signing-keys";

/**
 * Google Wallet save/delete callbacks, signed with ECv2SigningOnly (Tink's
 * PaymentMethodTokenRecipient, signing only):
 *   root key (Google, published) ──signs──▶ intermediate key ──signs──▶ message
 * Nothing from the body is trusted until the whole chain verifies.
 */

export const DEFAULT_GOOGLE_CALLBACK_ROOT_KEYS_URL = "https://pay.google.com/gp/m/issuer/keys";
export const CALLBACK_PROTOCOL_VERSION = "ECv2SigningOnly";
/** The sender id Google's Wallet callback samples pass to Tink (Google Pay payment tokens use "Google"). */
export const DEFAULT_CALLBACK_SENDER_ID = "GooglePayPasses";

const ROOT_KEYS_TTL_MS = 60 * 60 * 1000;

export interface GoogleCallbackConfig {
  /** GOOGLE_ISSUER_ID: the recipient id the message is signed for. */
  issuerId: string;
  /** GOOGLE_CALLBACK_ROOT_KEYS_URL; default https://pay.google.com/gp/m/issuer/keys. */
  rootKeysUrl?: string;
  /** Clock in epoch milliseconds; injectable for tests. */
  now?: () => number;
  /** Sender ids accepted in the signed bytes; default ["GooglePayPasses"]. */
  senderIds?: string[];
}

export type GoogleCallbackEventType = "save" | "del";

export interface GoogleCallbackMessage {
  classId: string;
  objectId: string;
  eventType: GoogleCallbackEventType;
  /** Google may deliver a callback more than once; the nonce identifies duplicates. */
  nonce: string;
  expTimeMillis: number;
}

export type GoogleCallbackErrorCode =
  /** Not the expected shape (not JSON, missing fields, bad base64 or DER): answer 400. */
  | "malformed"
  | "unsupported_protocol"
  /** Google's root keys could not be fetched: answer 5xx so Google retries. */
  | "root_keys_unavailable"
  /** No non-expired root key signed the intermediate key. */
  | "untrusted_intermediate_key"
  | "intermediate_key_expired"
  /** The intermediate key did not sign this message for this recipient. */
  | "bad_signature"
  | "message_expired";

export class GoogleCallbackError extends Error {
  override name = "GoogleCallbackError";
  constructor(
    readonly code: GoogleCallbackErrorCode,
    message: string,
  ) {
    super(message);
  }
}

// ── Root keys, per isolate per URL, refreshed hourly ─────────────────────────

interface RootKey {
  key: CryptoKey;
  /** Epoch ms; undefined: no expiry given. */
  expiresAtMs: number | undefined;
}

const rootKeySets = new ExpiringCache<RootKey[]>();

async function fetchRootKeys(url: string, nowMs: number, fetcher: FetchLike): Promise<Expiring<RootKey[]>> {
  let body: unknown;
  try {
    const res = await fetcher(url, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = await res.json();
  } catch (error) {
    throw new GoogleCallbackError("root_keys_unavailable", `Google's root signing keys could not be fetched: ${describeError(error)}`);
  }
  const entries = isRecord(body) && Array.isArray(body.keys) ? body.keys : null;
  if (!entries) throw new GoogleCallbackError("root_keys_unavailable", "Google's root signing keys are not in the expected shape");
  const keys: RootKey[] = [];
  for (const entry of entries) {
    if (!isRecord(entry) || entry.protocolVersion !== CALLBACK_PROTOCOL_VERSION || typeof entry.keyValue !== "string") continue;
    const expiresAtMs = entry.keyExpiration === undefined ? undefined : parseMillis(entry.keyExpiration);
    if (expiresAtMs === null) continue;
    try {
      keys.push({ key: await importVerifyingKey(entry.keyValue), expiresAtMs });
    } catch {
      // One unusable key does not discard the others.
    }
  }
  return { value: keys, freshUntilMs: nowMs + ROOT_KEYS_TTL_MS };
}

// Google unreachable: keys fetched earlier are still Google's keys (each carries its own expiry).
const rootKeys = (url: string, nowMs: number, fetcher: FetchLike) =>
  rootKeySets.get(url, nowMs, () => fetchRootKeys(url, nowMs, fetcher), { staleOnError: true });

// ── Encoding helpers ─────────────────────────────────────────────────────────

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function malformed(message: string): never {
  throw new GoogleCallbackError("malformed", message);
}

/** Milliseconds given as a number or a decimal string; null when neither. */
function parseMillis(value: unknown): number | null {
  if (typeof value === "number") return Number.isSafeInteger(value) ? value : null;
  if (typeof value === "string" && /^\d{1,16}$/.test(value)) return Number(value);
  return null;
}

function base64Bytes(value: string, what: string): Uint8Array {
  try {
    return base64Decode(value);
  } catch {
    malformed(`${what} is not base64`);
  }
}

function importVerifyingKey(base64Spki: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("spki", base64Bytes(base64Spki, "key"), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
}

/** length_prefixed(a) || length_prefixed(b) …, each a 4-byte little-endian length of the UTF-8 bytes, then the bytes. */
export function lengthPrefixed(...parts: string[]): Uint8Array {
  const encoded = parts.map((part) => new TextEncoder().encode(part));
  const out = new Uint8Array(encoded.reduce((n, bytes) => n + 4 + bytes.length, 0));
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const bytes of encoded) {
    view.setUint32(offset, bytes.length, true);
    out.set(bytes, offset + 4);
    offset += 4 + bytes.length;
  }
  return out;
}

/** ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (DER) → r || s, 32 bytes each, for WebCrypto. */
export function derSignatureToRaw(der: Uint8Array): Uint8Array {
  let offset = 0;
  const byte = () => {
    const value = der[offset++];
    if (value === undefined) malformed("signature is truncated");
    return value;
  };
  const length = () => {
    const first = byte();
    if (first < 0x80) return first;
    if (first !== 0x81) malformed("signature length is not DER");
    const long = byte();
    if (long < 0x80) malformed("signature length is not DER");
    return long;
  };
  const integer = () => {
    if (byte() !== 0x02) malformed("signature is not a DER ECDSA signature");
    const len = length();
    if (len === 0 || offset + len > der.length) malformed("signature is truncated");
    let bytes = der.subarray(offset, offset + len);
    offset += len;
    if (bytes[0]! & 0x80) malformed("signature integer is negative");
    while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
    if (bytes.length > 32) malformed("signature integer is too long for P-256");
    return bytes;
  };
  if (byte() !== 0x30) malformed("signature is not a DER ECDSA signature");
  const seqLength = length();
  if (offset + seqLength !== der.length) malformed("signature has the wrong length");
  const r = integer();
  const s = integer();
  if (offset !== der.length) malformed("signature has trailing bytes");
  const raw = new Uint8Array(64);
  raw.set(r, 32 - r.length);
  raw.set(s, 64 - s.length);
  return raw;
}

function verify(key: CryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  return crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, signature, data).catch(() => false);
}

// ── Verification ─────────────────────────────────────────────────────────────

interface Envelope {
  signature: Uint8Array;
  signedKey: string;
  intermediateSignatures: Uint8Array[];
  signedMessage: string;
}

function parseEnvelope(body: unknown): Envelope {
  let value = body;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      malformed("body is not JSON");
    }
  }
  if (!isRecord(value)) malformed("body is not a JSON object");
  if (value.protocolVersion !== CALLBACK_PROTOCOL_VERSION) {
    throw new GoogleCallbackError("unsupported_protocol", `protocolVersion must be ${CALLBACK_PROTOCOL_VERSION}`);
  }
  const intermediate = value.intermediateSigningKey;
  if (typeof value.signature !== "string") malformed("signature is missing");
  if (typeof value.signedMessage !== "string") malformed("signedMessage is missing");
  if (!isRecord(intermediate) || typeof intermediate.signedKey !== "string") malformed("intermediateSigningKey.signedKey is missing");
  const signatures = intermediate.signatures;
  if (!Array.isArray(signatures) || signatures.length === 0 || !signatures.every((s) => typeof s === "string")) {
    malformed("intermediateSigningKey.signatures is missing");
  }
  return {
    signature: derSignatureToRaw(base64Bytes(value.signature, "signature")),
    signedKey: intermediate.signedKey,
    intermediateSignatures: (signatures as string[]).map((s) => derSignatureToRaw(base64Bytes(s, "intermediate signature"))),
    signedMessage: value.signedMessage,
  };
}

function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    malformed(`${what} is not JSON`);
  }
  if (!isRecord(value)) malformed(`${what} is not a JSON object`);
  return value;
}

async function verifyChain(
  envelope: Envelope,
  config: GoogleCallbackConfig,
  nowMs: number,
  fetcher: FetchLike,
): Promise<GoogleCallbackMessage> {
  const senderIds = config.senderIds?.length ? config.senderIds : [DEFAULT_CALLBACK_SENDER_ID];
  const roots = (await rootKeys(config.rootKeysUrl || DEFAULT_GOOGLE_CALLBACK_ROOT_KEYS_URL, nowMs, fetcher)).filter(
    (root) => root.expiresAtMs === undefined || root.expiresAtMs > nowMs,
  );
  if (roots.length === 0) throw new GoogleCallbackError("untrusted_intermediate_key", "no unexpired root signing key is available");

  // (b) a root key signed the intermediate key, for one of the accepted senders.
  let sender: string | undefined;
  search: for (const candidate of senderIds) {
    const signed = lengthPrefixed(candidate, CALLBACK_PROTOCOL_VERSION, envelope.signedKey);
    for (const signature of envelope.intermediateSignatures) {
      for (const root of roots) {
        if (await verify(root.key, signature, signed)) {
          sender = candidate;
          break search;
        }
      }
    }
  }
  if (sender === undefined)
    throw new GoogleCallbackError("untrusted_intermediate_key", "the intermediate signing key is not signed by a Google root key");

  // (c) the intermediate key has not expired.
  const signedKey = parseJsonObject(envelope.signedKey, "signedKey");
  if (typeof signedKey.keyValue !== "string") malformed("signedKey.keyValue is missing");
  const keyExpiration = parseMillis(signedKey.keyExpiration);
  if (keyExpiration === null) malformed("signedKey.keyExpiration is missing");
  if (keyExpiration <= nowMs) throw new GoogleCallbackError("intermediate_key_expired", "the intermediate signing key has expired");

  // (d) the intermediate key signed this message for this recipient.
  let intermediateKey: CryptoKey;
  try {
    intermediateKey = await importVerifyingKey(signedKey.keyValue);
  } catch (error) {
    if (error instanceof GoogleCallbackError) throw error;
    malformed("signedKey.keyValue is not an EC P-256 public key");
  }
  const signedBytes = lengthPrefixed(sender, config.issuerId, CALLBACK_PROTOCOL_VERSION, envelope.signedMessage);
  if (!(await verify(intermediateKey, envelope.signature, signedBytes))) {
    throw new GoogleCallbackError("bad_signature", "the message signature does not verify for this recipient");
  }

  // (e) the message itself: well-formed and not expired.
  const message = parseJsonObject(envelope.signedMessage, "signedMessage");
  const { classId, objectId, eventType, nonce } = message;
  if (typeof classId !== "string" || typeof objectId !== "string" || typeof nonce !== "string") {
    malformed("signedMessage lacks classId, objectId or nonce");
  }
  if (eventType !== "save" && eventType !== "del") malformed("signedMessage.eventType is neither save nor del");
  const expTimeMillis = parseMillis(message.expTimeMillis);
  if (expTimeMillis === null) malformed("signedMessage.expTimeMillis is missing");
  if (expTimeMillis <= nowMs) throw new GoogleCallbackError("message_expired", "the callback message has expired");
  return { classId, objectId, eventType, nonce, expTimeMillis };
}

/**
 * Verifies a Google Wallet callback body (parsed JSON, or its raw text) and returns the signed
 * message. Throws GoogleCallbackError on anything else, malformed input included.
 */
export async function verifyGoogleCallback(
  body: unknown,
  config: GoogleCallbackConfig,
  fetcher: FetchLike = defaultFetch,
): Promise<GoogleCallbackMessage> {
  try {
    if (!config.issuerId) throw new GoogleCallbackError("bad_signature", "no issuer id is configured to verify against");
    const nowMs = (config.now ?? Date.now)();
    return await verifyChain(parseEnvelope(body), config, nowMs, fetcher);
  } catch (error) {
    if (error instanceof GoogleCallbackError) throw error;
    throw new GoogleCallbackError("malformed", `callback could not be verified: ${describeError(error)}`);
  }
}
