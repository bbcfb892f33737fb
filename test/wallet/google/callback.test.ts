import { describe, expect, it } from "vitest";
import {
  derSignatureToRaw,
  GoogleCallbackError,
  type GoogleCallbackErrorCode,
  verifyGoogleCallback,
} from "../../../src/wallet/google/callback";
import {
  b64,
  type ChainOptions,
  DAY,
  lp,
  newKey,
  publish,
  rawToDer,
  sign,
  chain as signedCallback,
  spki,
} from "../../support/google-callback";
import { program, recorded, recorderUrl, unique } from "../recorder";

const ISSUER = "3388000000012345678";
const NOW = Date.parse("2026-05-01T12:00:00Z");
const chain = (options: Omit<ChainOptions, "issuer" | "now"> = {}) => signedCallback({ issuer: ISSUER, now: NOW, ...options });

const config = (rootKeysUrl: string, extra: Record<string, unknown> = {}) => ({ issuerId: ISSUER, rootKeysUrl, now: () => NOW, ...extra });

async function expectRejected(promise: Promise<unknown>, code: GoogleCallbackErrorCode) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GoogleCallbackError);
  expect((error as GoogleCallbackError).code).toBe(code);
}

describe("verifyGoogleCallback", () => {
  it("verifies a callback signed through Google's chain and returns the message", async () => {
    const { root, body, message } = await chain();
    const { url } = await publish([{ key: root, expiresAt: NOW + DAY }]);
    expect(await verifyGoogleCallback(body, config(url))).toEqual(message);
    // The raw request text works too.
    expect(await verifyGoogleCallback(JSON.stringify(body), config(url))).toEqual(message);
  });

  it("accepts del events, root keys without expiry, and any listed root key", async () => {
    const { root, body, message } = await chain({ eventType: "del" });
    const { url } = await publish([{ key: await newKey() }, { key: root }]);
    expect(await verifyGoogleCallback(body, config(url))).toEqual({ ...message, eventType: "del" });
  });

  it("accepts a later signature in the list when an earlier one does not verify", async () => {
    const { root, body } = await chain();
    const { url } = await publish([{ key: root }]);
    const other = await sign(await newKey(), lp("GooglePayPasses", "ECv2SigningOnly", body.intermediateSigningKey.signedKey));
    body.intermediateSigningKey.signatures.unshift(other);
    expect((await verifyGoogleCallback(body, config(url))).eventType).toBe("save");
  });

  it("caches the root keys for an hour", async () => {
    const { root, body } = await chain({ messageExpiresAt: NOW + 2 * 60 * 60_000 });
    const { url, path } = await publish([{ key: root }]);
    await verifyGoogleCallback(body, config(url));
    await verifyGoogleCallback(body, config(url, { now: () => NOW + 59 * 60_000 }));
    expect(await recorded(path)).toHaveLength(1);
    await verifyGoogleCallback(body, config(url, { now: () => NOW + 61 * 60_000 }));
    expect(await recorded(path)).toHaveLength(2);
  });

  it("rejects a forged message under a genuine signature", async () => {
    const { root, body, message } = await chain();
    const { url } = await publish([{ key: root }]);
    await expectRejected(
      verifyGoogleCallback({ ...body, signedMessage: JSON.stringify({ ...message, eventType: "del" }) }, config(url)),
      "bad_signature",
    );
  });

  it("rejects a message signed by the intermediate key of another root", async () => {
    const { body } = await chain();
    const { url } = await publish([{ key: await newKey() }]);
    await expectRejected(verifyGoogleCallback(body, config(url)), "untrusted_intermediate_key");
  });

  it("rejects a chain whose only matching root key has expired, or is for another protocol", async () => {
    const { root, body } = await chain();
    const expired = await publish([{ key: root, expiresAt: NOW - 1 }]);
    await expectRejected(verifyGoogleCallback(body, config(expired.url)), "untrusted_intermediate_key");
    const ecv1 = await publish([{ key: root, protocolVersion: "ECv1" }]);
    await expectRejected(verifyGoogleCallback(body, config(ecv1.url)), "untrusted_intermediate_key");
  });

  it("rejects an expired intermediate key even though it is properly signed", async () => {
    const { root, body } = await chain({ intermediateExpiresAt: NOW - 1 });
    const { url } = await publish([{ key: root }]);
    await expectRejected(verifyGoogleCallback(body, config(url)), "intermediate_key_expired");
  });

  it("rejects a tampered signedKey (an attacker's key swapped in)", async () => {
    const { root, body, message } = await chain();
    const { url } = await publish([{ key: root }]);
    const attacker = await newKey();
    const signedKey = JSON.stringify({ keyValue: await spki(attacker), keyExpiration: String(NOW + DAY) });
    const signedMessage = JSON.stringify({ ...message, nonce: "attacker" });
    const forged = {
      ...body,
      intermediateSigningKey: { ...body.intermediateSigningKey, signedKey },
      signedMessage,
      signature: await sign(attacker, lp("GooglePayPasses", ISSUER, "ECv2SigningOnly", signedMessage)),
    };
    await expectRejected(verifyGoogleCallback(forged, config(url)), "untrusted_intermediate_key");
    // Extending the key's expiry is tampering too.
    const extended = {
      ...body,
      intermediateSigningKey: {
        ...body.intermediateSigningKey,
        signedKey: body.intermediateSigningKey.signedKey.replace(/"keyExpiration":"\d+"/, `"keyExpiration":"${NOW + 365 * DAY}"`),
      },
    };
    await expectRejected(verifyGoogleCallback(extended, config(url)), "untrusted_intermediate_key");
  });

  it("rejects a message signed for another recipient", async () => {
    const { root, body } = await chain({ recipient: "3388000000099999999" });
    const { url } = await publish([{ key: root }]);
    await expectRejected(verifyGoogleCallback(body, config(url)), "bad_signature");
  });

  it("rejects an expired message", async () => {
    const { root, body } = await chain({ messageExpiresAt: NOW - 1 });
    const { url } = await publish([{ key: root }]);
    await expectRejected(verifyGoogleCallback(body, config(url)), "message_expired");
  });

  it("uses the GooglePayPasses sender id; another sender must be configured", async () => {
    const { root, body } = await chain({ sender: "Google" });
    const { url } = await publish([{ key: root }]);
    await expectRejected(verifyGoogleCallback(body, config(url)), "untrusted_intermediate_key");
    expect((await verifyGoogleCallback(body, config(url, { senderIds: ["GooglePayPasses", "Google"] }))).eventType).toBe("save");
  });

  it("throws GoogleCallbackError, never a TypeError, for garbage", async () => {
    const { root, body } = await chain();
    const { url } = await publish([{ key: root }]);
    const garbage: unknown[] = [
      undefined,
      null,
      42,
      "not json",
      "[]",
      [],
      {},
      { protocolVersion: "ECv2SigningOnly" },
      { ...body, signature: 7 },
      { ...body, signature: "%%%not base64%%%" },
      { ...body, signature: "AAAA" },
      { ...body, signature: b64(new Uint8Array(64)) },
      { ...body, signedMessage: { nested: true } },
      { ...body, intermediateSigningKey: null },
      { ...body, intermediateSigningKey: "x" },
      { ...body, intermediateSigningKey: { ...body.intermediateSigningKey, signatures: [] } },
      { ...body, intermediateSigningKey: { ...body.intermediateSigningKey, signatures: "MEUCIQ" } },
      { ...body, intermediateSigningKey: { ...body.intermediateSigningKey, signatures: [null] } },
      { ...body, intermediateSigningKey: { signedKey: 5, signatures: body.intermediateSigningKey.signatures } },
    ];
    for (const input of garbage) {
      const error = await verifyGoogleCallback(input, config(url)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, JSON.stringify(input)?.slice(0, 80)).toBeInstanceOf(GoogleCallbackError);
    }
    await expectRejected(verifyGoogleCallback({ ...body, protocolVersion: "ECv2" }, config(url)), "unsupported_protocol");
  });

  it("rejects signed but malformed contents", async () => {
    const root = await newKey();
    const intermediate = await newKey();
    const { url } = await publish([{ key: root }]);
    const build = async (signedKey: string, signedMessage: string) => ({
      protocolVersion: "ECv2SigningOnly",
      signedMessage,
      signature: await sign(intermediate, lp("GooglePayPasses", ISSUER, "ECv2SigningOnly", signedMessage)),
      intermediateSigningKey: { signedKey, signatures: [await sign(root, lp("GooglePayPasses", "ECv2SigningOnly", signedKey))] },
    });
    const goodKey = JSON.stringify({ keyValue: await spki(intermediate), keyExpiration: String(NOW + DAY) });
    const goodMessage = { classId: "c", objectId: "o", expTimeMillis: NOW + 60_000, eventType: "save", nonce: "n" };
    const cases: Array<[string, string]> = [
      ["not json", JSON.stringify(goodMessage)],
      [JSON.stringify({ keyValue: await spki(intermediate) }), JSON.stringify(goodMessage)],
      [JSON.stringify({ keyValue: "AAAA", keyExpiration: String(NOW + DAY) }), JSON.stringify(goodMessage)],
      [goodKey, "not json"],
      [goodKey, JSON.stringify({ ...goodMessage, eventType: "update" })],
      [goodKey, JSON.stringify({ ...goodMessage, objectId: 5 })],
      [goodKey, JSON.stringify({ ...goodMessage, expTimeMillis: "soon" })],
    ];
    for (const [signedKey, signedMessage] of cases)
      await expectRejected(verifyGoogleCallback(await build(signedKey, signedMessage), config(url)), "malformed");
    // expTimeMillis as a decimal string is accepted.
    const ok = await verifyGoogleCallback(
      await build(goodKey, JSON.stringify({ ...goodMessage, expTimeMillis: String(NOW + 60_000) })),
      config(url),
    );
    expect(ok.expTimeMillis).toBe(NOW + 60_000);
  });

  it("reports unreachable root keys distinctly, so the route can answer 5xx", async () => {
    const { body } = await chain();
    const path = `/${unique("missing-keys")}`;
    await program({ path, status: 503 });
    await expectRejected(verifyGoogleCallback(body, config(recorderUrl(path))), "root_keys_unavailable");
    await expectRejected(
      verifyGoogleCallback(body, config("https://keys.invalid/k", {}), () => Promise.reject(new TypeError("dns"))),
      "root_keys_unavailable",
    );
  });
});

describe("derSignatureToRaw", () => {
  it("left-pads short integers and strips DER's sign byte", () => {
    const r = new Uint8Array(32).fill(0x80);
    const s = new Uint8Array(32);
    s[31] = 1;
    const raw = new Uint8Array([...r, ...s]);
    const der = rawToDer(raw);
    expect(der[3]).toBe(33); // r carries a 0x00 sign byte
    expect(der[3 + 33 + 2]).toBe(1); // s is one byte
    expect(derSignatureToRaw(der)).toEqual(raw);
  });

  it("rejects trailing bytes, wrong tags and oversized integers", () => {
    const der = rawToDer(new Uint8Array(64).fill(1));
    for (const bad of [
      new Uint8Array([...der, 0]),
      new Uint8Array([0x31, ...der.subarray(1)]),
      new Uint8Array([0x30, 0x24, 0x02, 0x22, 1, ...new Uint8Array(33).fill(1)]),
    ]) {
      expect(() => derSignatureToRaw(bad)).toThrow(GoogleCallbackError);
    }
  });
});
