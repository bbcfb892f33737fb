import { describe, expect, it } from "vitest";
import { normalizePem } from "../../../src/lib/pem";
import { loadPassSigner, PassSigningConfigError, passSignerConfigFromEnv } from "../../../src/wallet/apple/certificates";
import { signManifest } from "../../../src/wallet/apple/signature";
import { DEV_KEY_PASSPHRASE, DEV_PASS_TYPE_ID, DEV_TEAM_ID, devChain, devSignerConfig } from "../../fixtures/apple";
import { inspectSignature } from "./verify-signature";

const escaped = (pem: string) => pem.trim().replace(/\n/g, "\\n");
const manifest = new TextEncoder().encode('{"pass.json":"0000000000000000000000000000000000000000"}');

async function signsValidly(config: Parameters<typeof loadPassSigner>[0]) {
  const signer = await loadPassSigner(config);
  return inspectSignature(await signManifest(manifest, signer)).signatureValid;
}

async function otherRsaKeyPem(): Promise<string> {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const der = new Uint8Array((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer);
  const base64 = btoa(String.fromCharCode(...der)).replace(/.{64}/g, "$&\n");
  return `-----BEGIN PRIVATE KEY-----\n${base64}\n-----END PRIVATE KEY-----\n`;
}

describe("loadPassSigner", () => {
  it("loads the development chain and reads the pass type and team from the certificate", async () => {
    const signer = await loadPassSigner(devSignerConfig);
    expect(signer.passTypeIdentifier).toBe(DEV_PASS_TYPE_ID);
    expect(signer.teamIdentifier).toBe(DEV_TEAM_ID);
    expect(signer.expiresAt.getTime()).toBeGreaterThan(Date.now());
    expect(signer.privateKey.extractable).toBe(false);
  });

  it("parses and imports once per configuration: the second load returns the same signer", async () => {
    const first = loadPassSigner(devSignerConfig);
    const second = loadPassSigner({ ...devSignerConfig });
    expect(second).toBe(first);
    expect(await second).toBe(await first);
    const other = await loadPassSigner({ ...devSignerConfig, keyPem: devChain.passKeyPkcs1 });
    expect(other).not.toBe(await first);
  });

  it("accepts PEMs whose newlines are literal \\n (one-line .dev.vars values), quoted or not", async () => {
    expect(normalizePem('"-----BEGIN X-----\\nAAAA\\r\\n-----END X-----"')).toBe("-----BEGIN X-----\nAAAA\n-----END X-----");
    const config = { certPem: escaped(devChain.passCert), keyPem: escaped(devChain.passKey), wwdrPem: `"${escaped(devChain.wwdr)}"` };
    expect(await signsValidly(config)).toBe(true);
  });

  it("accepts PKCS#1 keys, and encrypted PKCS#8 / PKCS#1 keys with their passphrase", async () => {
    expect(await signsValidly({ ...devSignerConfig, keyPem: devChain.passKeyPkcs1 })).toBe(true);
    expect(await signsValidly({ ...devSignerConfig, keyPem: devChain.passKeyPkcs8Encrypted, keyPassphrase: DEV_KEY_PASSPHRASE })).toBe(
      true,
    );
    expect(
      await signsValidly({ ...devSignerConfig, keyPem: escaped(devChain.passKeyPkcs1Encrypted), keyPassphrase: DEV_KEY_PASSPHRASE }),
    ).toBe(true);
  });

  it("accepts a key PEM that also carries the certificate (openssl pkcs12 -nodes output)", async () => {
    expect(await signsValidly({ ...devSignerConfig, keyPem: devChain.passCert + devChain.passKey })).toBe(true);
  });

  it("rejects missing material with an error naming the variable", async () => {
    await expect(loadPassSigner({ ...devSignerConfig, certPem: "" })).rejects.toThrow(/APPLE_PASS_CERT is missing/);
    await expect(loadPassSigner({ ...devSignerConfig, keyPem: "  " })).rejects.toThrow(PassSigningConfigError);
    await expect(loadPassSigner({ ...devSignerConfig, wwdrPem: devChain.passKey })).rejects.toThrow(
      /APPLE_WWDR_CERT has no CERTIFICATE PEM block/,
    );
    expect(() => passSignerConfigFromEnv({ APPLE_PASS_KEY: devChain.passKey })).toThrow(
      "Apple pass signing is not configured: APPLE_PASS_CERT, APPLE_WWDR_CERT missing",
    );
  });

  it("rejects an encrypted key without, or with the wrong, passphrase", async () => {
    await expect(loadPassSigner({ ...devSignerConfig, keyPem: devChain.passKeyPkcs8Encrypted })).rejects.toThrow(
      /APPLE_PASS_KEY_PASSPHRASE is not set/,
    );
    await expect(loadPassSigner({ ...devSignerConfig, keyPem: devChain.passKeyPkcs8Encrypted, keyPassphrase: "nope" })).rejects.toThrow(
      /APPLE_PASS_KEY could not be read/,
    );
    await expect(loadPassSigner({ ...devSignerConfig, keyPem: devChain.passKeyPkcs1Encrypted, keyPassphrase: "nope" })).rejects.toThrow(
      /APPLE_PASS_KEY could not be read/,
    );
  });

  it("rejects a key that does not belong to the certificate, and the wrong intermediate", async () => {
    await expect(loadPassSigner({ ...devSignerConfig, keyPem: await otherRsaKeyPem() })).rejects.toThrow(
      "APPLE_PASS_KEY does not belong to APPLE_PASS_CERT",
    );
    await expect(loadPassSigner({ ...devSignerConfig, wwdrPem: devChain.rootCa })).rejects.toThrow(
      /APPLE_WWDR_CERT did not issue APPLE_PASS_CERT.*PassLite DEVELOPMENT WWDR/,
    );
  });

  it("does not cache a failed load", async () => {
    const broken = { ...devSignerConfig, keyPem: devChain.passKeyPkcs8Encrypted };
    const first = loadPassSigner(broken);
    await expect(first).rejects.toThrow();
    expect(loadPassSigner(broken)).not.toBe(first);
    await expect(loadPassSigner(broken)).rejects.toThrow();
  });

  it("reads its config from env", () => {
    const config = passSignerConfigFromEnv({
      APPLE_PASS_CERT: "c",
      APPLE_PASS_KEY: "k",
      APPLE_WWDR_CERT: "w",
      APPLE_PASS_KEY_PASSPHRASE: "",
    });
    expect(config).toEqual({ certPem: "c", keyPem: "k", wwdrPem: "w", keyPassphrase: undefined });
  });
});
