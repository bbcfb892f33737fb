import { unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { loadPassSigner } from "../../../src/wallet/apple/certificates";
import { solidColorPng } from "../../../src/wallet/apple/default-icon";
import { type ApplePassInput, buildPassJson as buildUnchecked } from "../../../src/wallet/apple/pass-json";
import { buildPkpass } from "../../../src/wallet/apple/pkpass";
import { DEV_PASS_TYPE_ID, DEV_TEAM_ID, devChain, devSignerConfig } from "../../fixtures/apple";
import { expectValidPassJson } from "../../support/pass-json-schema";
import { readPng } from "./png";
import { inspectSignature, sha1Hex, sha256Hex, verifyChain, verifyPkpass } from "./verify-signature";

// Every pass.json built here is also checked against passkit-generator's schema.
const buildPassJson = (input: ApplePassInput) => expectValidPassJson(buildUnchecked(input));

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const decode = (bytes: Uint8Array | undefined) => JSON.parse(new TextDecoder().decode(bytes));

const input: ApplePassInput = {
  passTypeIdentifier: DEV_PASS_TYPE_ID,
  teamIdentifier: DEV_TEAM_ID,
  serialNumber: "PL-TEST-0001",
  organizationName: "Bean There",
  description: "Bean There loyalty card",
  style: "storeCard",
  colors: { background: "#1e40af", foreground: "#ffffff", label: "#dbeafe" },
  fields: { header: [], primary: [{ key: "stamps", label: "Stamps", value: 3 }], secondary: [], auxiliary: [], back: [] },
  barcode: { format: "qr", message: "PL-TEST-0001" },
  webServiceURL: "https://api.passlite.test/wallet/apple",
  authenticationToken: "0123456789abcdef0123456789abcdef",
};

describe("buildPkpass", () => {
  it("zips the pass files with a matching manifest and a verifiable signature", async () => {
    const signer = await loadPassSigner(devSignerConfig);
    const files = {
      "pass.json": encode(buildPassJson(input)),
      "icon.png": solidColorPng(29, 29, [1, 2, 3]),
      "logo.png": solidColorPng(160, 50, [200, 0, 0]),
      "strip.png": solidColorPng(375, 123, [0, 200, 0]),
      "en.lproj/pass.strings": new TextEncoder().encode('"stamps" = "Stamps";'),
    };
    const entries = unzipSync(await buildPkpass(files, signer));

    expect(Object.keys(entries).sort()).toEqual([
      "en.lproj/pass.strings",
      "icon.png",
      "logo.png",
      "manifest.json",
      "pass.json",
      "signature",
      "strip.png",
    ]);
    for (const [name, content] of Object.entries(files)) expect(entries[name]).toEqual(content);
    const manifest = decode(entries["manifest.json"]);
    expect(Object.keys(manifest).sort()).toEqual(Object.keys(files).sort());
    for (const [name, hash] of Object.entries(manifest)) expect(hash).toBe(sha1Hex(entries[name]!));

    const report = inspectSignature(entries.signature!);
    expect(report.messageDigestHex).toBe(sha256Hex(entries["manifest.json"]!));
    expect(report.signatureValid).toBe(true);
    expect(verifyChain(report.certificates, devChain.rootCa)).toBe(true);
    expect(verifyPkpass(entries, devChain.rootCa)).toEqual([]);
  });

  it("adds a default icon (29×29, 58×58 @2x and 87×87 @3x) in the pass's background colour when there is none", async () => {
    const signer = await loadPassSigner(devSignerConfig);
    const entries = unzipSync(await buildPkpass({ "pass.json": encode(buildPassJson(input)) }, signer));
    expect(Object.keys(entries).sort()).toEqual(["icon.png", "icon@2x.png", "icon@3x.png", "manifest.json", "pass.json", "signature"]);
    expect(readPng(entries["icon.png"]!)).toMatchObject({ width: 29, height: 29, firstPixel: [0x1e, 0x40, 0xaf] });
    expect(readPng(entries["icon@2x.png"]!)).toMatchObject({ width: 58, height: 58, firstPixel: [0x1e, 0x40, 0xaf] });
    expect(readPng(entries["icon@3x.png"]!)).toMatchObject({ width: 87, height: 87, firstPixel: [0x1e, 0x40, 0xaf] });
    const manifest = decode(entries["manifest.json"]);
    expect(manifest["icon@2x.png"]).toBe(sha1Hex(entries["icon@2x.png"]!));
    expect(manifest["icon@3x.png"]).toBe(sha1Hex(entries["icon@3x.png"]!));
  });

  it("verifies as built, and a changed file, a re-hashed manifest, an extra file or a missing one is caught", async () => {
    const signer = await loadPassSigner(devSignerConfig);
    const entries = unzipSync(await buildPkpass({ "pass.json": encode(buildPassJson(input)) }, signer));
    expect(verifyPkpass(entries, devChain.rootCa)).toEqual([]);

    const forgedPass = encode({ ...decode(entries["pass.json"]), serialNumber: "PL-FORGED" });
    expect(verifyPkpass({ ...entries, "pass.json": forgedPass }, devChain.rootCa)).toEqual(["pass.json does not match its manifest hash"]);

    // A forger who also fixes the manifest's hash breaks the signature over the manifest instead.
    const rehashed = encode({ ...decode(entries["manifest.json"]), "pass.json": sha1Hex(forgedPass) });
    expect(verifyPkpass({ ...entries, "pass.json": forgedPass, "manifest.json": rehashed }, devChain.rootCa)).toEqual([
      "signed digest does not match the content",
    ]);

    expect(verifyPkpass({ ...entries, "strip.png": solidColorPng(1, 1, [0, 0, 0]) }, devChain.rootCa)).toEqual([
      "strip.png is not in the manifest",
    ]);
    const { "icon.png": _icon, ...withoutIcon } = entries;
    expect(verifyPkpass(withoutIcon, devChain.rootCa)).toEqual(["icon.png is listed but missing"]);
  });

  it("refuses input without pass.json, with generated names, or with unsafe paths", async () => {
    const signer = await loadPassSigner(devSignerConfig);
    const passJson = encode(buildPassJson(input));
    await expect(buildPkpass({ "icon.png": solidColorPng(1, 1, [0, 0, 0]) }, signer)).rejects.toThrow(/must include pass.json/);
    await expect(buildPkpass({ "pass.json": passJson, signature: new Uint8Array(1) }, signer)).rejects.toThrow(/signature is generated/);
    await expect(buildPkpass({ "pass.json": passJson, "../evil.png": new Uint8Array(1) }, signer)).rejects.toThrow(/invalid file name/);
    await expect(buildPkpass({ "pass.json": new TextEncoder().encode("{nope") }, signer)).rejects.toThrow(/not valid JSON/);
  });
});
