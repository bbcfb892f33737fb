// Builds a sample .pkpass with the committed DEVELOPMENT chain, through the real library code.
// Run with tsx so the TypeScript sources load: node --import tsx test/scripts/build-sample-pkpass.mjs <out.pkpass>
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildPassJson, buildPkpass, loadPassSigner, solidColorPng } from "../../src/wallet/apple/index.ts";

const fixtures = join(import.meta.dirname, "..", "fixtures", "apple");
const pem = (name) => readFileSync(join(fixtures, name), "utf8");
const signer = await loadPassSigner({ certPem: pem("pass-cert.pem"), keyPem: pem("pass-key.pem"), wwdrPem: pem("wwdr.pem") });

const passJson = buildPassJson({
  passTypeIdentifier: signer.passTypeIdentifier,
  teamIdentifier: signer.teamIdentifier,
  serialNumber: "PL-SAMPLE-0001",
  organizationName: "PassLite sample",
  description: "Sample loyalty card",
  style: "storeCard",
  colors: { background: "#1e40af", foreground: "#ffffff", label: "#dbeafe" },
  fields: { header: [], primary: [{ key: "stamps", label: "Stamps", value: 3 }], secondary: [], auxiliary: [], back: [] },
  barcode: { format: "qr", message: "PL-SAMPLE-0001" },
  webServiceURL: "https://api.passlite.test/wallet/apple",
  authenticationToken: "0123456789abcdef0123456789abcdef",
});
const files = { "pass.json": new TextEncoder().encode(JSON.stringify(passJson)), "logo.png": solidColorPng(160, 50, [255, 255, 255]) };
const out = process.argv[2] ?? "sample.pkpass";
writeFileSync(out, await buildPkpass(files, signer));
console.log(`wrote ${out}`);
