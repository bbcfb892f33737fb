import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PKPass } from "passkit-generator";
import { solidColorPng } from "../../src/wallet/apple/default-icon";
import { type Result, summarize, timed } from "../harness";
import { benchBusiness, call } from "./client";

const PER_REQUEST = 20;
const fixture = (name: string) => readFileSync(join(import.meta.dirname, "..", "..", "test", "fixtures", "apple", name), "utf8");

async function issueBenchPass(origin: string) {
  const { businessId, key } = await benchBusiness(origin);
  const headers = { "x-api-key": key };
  const template = await call<{ id: string }>(origin, `/api/v1/businesses/${businessId}/templates`, {
    method: "POST",
    headers,
    body: JSON.stringify({ name: "Bench card", type: "loyalty", stamp_goal: 10, colors: { background: "#1e3a8a", foreground: "#ffffff" } }),
  });
  return call<{ serial_number: string }>(origin, `/api/v1/businesses/${businessId}/passes`, {
    method: "POST",
    headers,
    body: JSON.stringify({ template_id: template.id, customer_name: "Bench Customer", points: 10 }),
  });
}

/** Per-item ms of a bench route that does `n` items per request, warm isolate. */
async function perItem(origin: string, path: string, rounds: number): Promise<number[]> {
  await call(origin, `${path}&n=${PER_REQUEST}`); // warm: certificates parsed, key imported
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) samples.push((await timed(() => call(origin, `${path}&n=${PER_REQUEST}`))) / PER_REQUEST);
  return samples;
}

/** The reference point the wallet issue sets: passkit-generator signing with node-forge's JS RSA, in Node. */
async function passkitGeneratorSamples(rounds: number): Promise<number[]> {
  const certificates = { wwdr: fixture("wwdr.pem"), signerCert: fixture("pass-cert.pem"), signerKey: fixture("pass-key.pem") };
  const icon = Buffer.from(solidColorPng(29, 29, [30, 58, 138]));
  const build = () => {
    const pass = new PKPass({ "icon.png": icon }, certificates, {
      serialNumber: "PL-BENCH-00001",
      description: "Bench card",
      organizationName: "Bench Cafe",
      passTypeIdentifier: "pass.dev.passlite.local",
      teamIdentifier: "DEVTEAM000",
      formatVersion: 1,
    });
    pass.type = "storeCard";
    pass.primaryFields.push({ key: "stamps", label: "Stamps", value: "3/10" });
    pass.setBarcodes("https://app.passlite.test/validate/PL-BENCH-00001");
    return pass.getAsBuffer();
  };
  build();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) samples.push(await timed(async () => build()));
  return samples;
}

export async function benchWallet(origin: string): Promise<Result[]> {
  const pass = await issueBenchPass(origin);
  const ours = await perItem(origin, `/__bench/pkpass?serial=${pass.serial_number}`, 30);
  const theirs = await passkitGeneratorSamples(60);
  const saveLink = await perItem(origin, `/__bench/google-save-link?serial=${pass.serial_number}`, 30);
  const oursResult = summarize("pkpass.build_sign", "ms", ours);
  const theirsResult = summarize("pkpass.passkit_generator", "ms", theirs);
  const speedup = {
    name: "pkpass.speedup_vs_passkit_generator",
    unit: "x",
    median: Math.round((theirsResult.median / oursResult.median) * 10) / 10,
    p99: Math.round((theirsResult.p99 / oursResult.p99) * 10) / 10,
    n: Math.min(ours.length, theirs.length),
  };
  return [oursResult, theirsResult, speedup, summarize("google.save_link", "ms", saveLink)];
}
