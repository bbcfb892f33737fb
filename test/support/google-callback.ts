import { env } from "cloudflare:test";
import { program } from "./recorder";

// A Google Wallet callback signing chain built the way Google builds it (ECv2SigningOnly),
// independent of the verifier: root key → signed intermediate key → signed message.

export const DAY = 86_400_000;
const EC = { name: "ECDSA", namedCurve: "P-256" } as const;

export const b64 = (bytes: ArrayBuffer | Uint8Array) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

export function lp(...parts: string[]): Uint8Array {
  const chunks: number[] = [];
  for (const part of parts) {
    const bytes = new TextEncoder().encode(part);
    chunks.push(bytes.length & 0xff, (bytes.length >> 8) & 0xff, (bytes.length >> 16) & 0xff, bytes.length >>> 24, ...bytes);
  }
  return new Uint8Array(chunks);
}

/** WebCrypto's r||s → DER SEQUENCE { INTEGER r, INTEGER s }, as Google sends it. */
export function rawToDer(raw: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array) => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    const trimmed = [...bytes.subarray(i)];
    if (trimmed[0]! & 0x80) trimmed.unshift(0);
    return [0x02, trimmed.length, ...trimmed];
  };
  const body = [...integer(raw.subarray(0, 32)), ...integer(raw.subarray(32))];
  return new Uint8Array([0x30, body.length, ...body]);
}

export const newKey = () => crypto.subtle.generateKey(EC, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;
export const spki = async (key: CryptoKeyPair) => b64((await crypto.subtle.exportKey("spki", key.publicKey)) as ArrayBuffer);
export const sign = async (key: CryptoKeyPair, data: Uint8Array) =>
  b64(rawToDer(new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key.privateKey, data))));

export interface ChainOptions {
  issuer: string;
  now: number;
  objectId?: string;
  nonce?: string;
  sender?: string;
  recipient?: string;
  intermediateExpiresAt?: number;
  messageExpiresAt?: number;
  eventType?: string;
  signingRoot?: CryptoKeyPair;
}

export async function chain(options: ChainOptions) {
  const root = await newKey();
  const intermediate = await newKey();
  const sender = options.sender ?? "GooglePayPasses";
  const signedKey = JSON.stringify({
    keyValue: await spki(intermediate),
    keyExpiration: String(options.intermediateExpiresAt ?? options.now + DAY),
  });
  const message = {
    classId: `${options.issuer}.tpl_1`,
    objectId: options.objectId ?? `${options.issuer}.PL-${crypto.randomUUID()}`,
    expTimeMillis: options.messageExpiresAt ?? options.now + 60_000,
    eventType: options.eventType ?? "save",
    nonce: options.nonce ?? crypto.randomUUID(),
  };
  const signedMessage = JSON.stringify(message);
  const body = {
    signature: await sign(intermediate, lp(sender, options.recipient ?? options.issuer, "ECv2SigningOnly", signedMessage)),
    intermediateSigningKey: { signedKey, signatures: [await sign(options.signingRoot ?? root, lp(sender, "ECv2SigningOnly", signedKey))] },
    protocolVersion: "ECv2SigningOnly",
    signedMessage,
  };
  return { root, intermediate, body, message };
}

/** Publishes root keys at a recorder path (a fresh one unless given); returns the URL to verify against. */
export async function publish(
  roots: Array<{ key: CryptoKeyPair; expiresAt?: number; protocolVersion?: string }>,
  path = `/issuer-keys-${crypto.randomUUID()}`,
) {
  const keys = await Promise.all(
    roots.map(async (r) => ({
      keyValue: await spki(r.key),
      protocolVersion: r.protocolVersion ?? "ECv2SigningOnly",
      ...(r.expiresAt === undefined ? {} : { keyExpiration: String(r.expiresAt) }),
    })),
  );
  await program({ method: "GET", path, status: 200, body: { keys } });
  return { url: `${env.RECORDER_ORIGIN}${path}`, path };
}
