import { env } from "cloudflare:test";
import forge from "node-forge";
import { describe, expect, it } from "vitest";
import { loadPassSigner } from "../../../src/wallet/apple/certificates";
import { signManifest } from "../../../src/wallet/apple/signature";
import { devChain, devSignerConfig } from "../../fixtures/apple";
import { inspectSignature, sha256Hex, verifyChain, verifyDetached } from "./verify-signature";

const manifest = new TextEncoder().encode(
  '{"icon.png":"1111111111111111111111111111111111111111","pass.json":"2222222222222222222222222222222222222222"}',
);

describe("signManifest", () => {
  it("produces a detached SignedData over manifest.json, carrying the pass and WWDR certificates", async () => {
    const signer = await loadPassSigner(devSignerConfig);
    const signingTime = new Date("2026-03-04T05:06:07.890Z");
    const report = inspectSignature(await signManifest(manifest, signer, signingTime));

    expect(report.certificates.map((c) => c.subject.getField("CN").value)).toEqual([
      "Pass Type ID: pass.dev.passlite.local",
      "PassLite DEVELOPMENT WWDR (not Apple)",
    ]);
    expect(report.digestAlgorithm).toBe(forge.pki.oids.sha256);
    expect(report.signatureAlgorithm).toBe(forge.pki.oids.rsaEncryption);
    expect([...report.attributes.keys()].sort()).toEqual(
      [forge.pki.oids.contentType, forge.pki.oids.signingTime, forge.pki.oids.messageDigest].sort(),
    );
    expect(forge.asn1.derToOid(report.attributes.get(forge.pki.oids.contentType!)!.value as string)).toBe(forge.pki.oids.data);
    expect(report.signingTime.toISOString()).toBe("2026-03-04T05:06:07.000Z");
    expect(report.messageDigestHex).toBe(sha256Hex(manifest));
    expect(report.signatureValid).toBe(true);
    expect(verifyChain(report.certificates, devChain.rootCa)).toBe(true);
  });

  it("verifies over its manifest, and not over a tampered manifest or with a tampered signature", async () => {
    const signer = await loadPassSigner(devSignerConfig);
    const signature = await signManifest(manifest, signer);
    expect(verifyDetached(signature, manifest, devChain.rootCa)).toEqual([]);

    const tampered = manifest.slice();
    tampered[tampered.length - 3] = "3".charCodeAt(0);
    expect(verifyDetached(signature, tampered, devChain.rootCa)).toEqual(["signed digest does not match the content"]);

    const flipped = signature.slice();
    flipped[flipped.length - 10]! ^= 0x01; // inside the RSA signature value, the last field
    expect(verifyDetached(flipped, manifest, devChain.rootCa)).toEqual(["signature does not verify"]);
  });

  it("does not verify under another root", async () => {
    const signer = await loadPassSigner(devSignerConfig);
    const signature = await signManifest(manifest, signer);
    expect(verifyDetached(signature, manifest, env.TEST_ROTATED_ROOT_CA)).toEqual(["signer does not chain to the root"]);
  });

  it("encodes signing times after 2049 as GeneralizedTime", async () => {
    const signer = await loadPassSigner(devSignerConfig);
    const report = inspectSignature(await signManifest(manifest, signer, new Date("2051-01-02T03:04:05Z")));
    expect(report.signingTime.toISOString()).toBe("2051-01-02T03:04:05.000Z");
    expect(report.signatureValid).toBe(true);
  });

  it("does not chain to a root it was not issued under", async () => {
    const signer = await loadPassSigner(devSignerConfig);
    const report = inspectSignature(await signManifest(manifest, signer));
    expect(() => verifyChain(report.certificates.slice(0, 1), devChain.rootCa)).toThrow();
  });
});
