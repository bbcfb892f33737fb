import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportPKCS8, generateKeyPair, SignJWT } from "jose";
import { type RelayProcess, startRelayProcess } from "../../relay/launch.ts";
import { type ApnsStandIn, startApnsStandIn } from "../support/apns-stand-in";

export const SECRET = "relay-test-secret-0123456789abcdef0123456789";

/** A stand-in for each APNs host and a relay process aimed at them, trusting their certificates. */
export async function startRelayWithStandIns(env: Record<string, string> = {}, maxConcurrentStreams?: number) {
  const production = await startApnsStandIn({ maxConcurrentStreams });
  const sandbox = await startApnsStandIn();
  const dir = mkdtempSync(join(tmpdir(), "relay-test-"));
  const caFile = join(dir, "stand-in-ca.pem");
  writeFileSync(caFile, production.certificatePem + sandbox.certificatePem);
  const relay: RelayProcess = await startRelayProcess({
    env: {
      APNS_RELAY_SECRET: SECRET,
      APNS_PRODUCTION_ORIGIN: production.origin,
      APNS_SANDBOX_ORIGIN: sandbox.origin,
      APNS_CA_FILE: caFile,
      ...env,
    },
  });
  return {
    relay,
    production,
    sandbox,
    stop: async () => {
      await relay.stop();
      await Promise.all([production.close(), sandbox.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An ES256 provider token as the Worker mints it, and the public key to check it with. */
export async function providerToken() {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const jwt = await new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: "KEYID12345" })
    .setIssuer("TEAM123456")
    .setIssuedAt()
    .sign(privateKey);
  return { jwt, publicKey, privateKeyPem: await exportPKCS8(privateKey) };
}

export interface RelayResult {
  status: number;
  apnsId?: string;
  reason?: string;
  timestamp?: number;
}

export function post(relay: RelayProcess, body: unknown, authorization: string | null = `Bearer ${SECRET}`) {
  return fetch(`${relay.origin}/push`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization === null ? {} : { authorization }) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export async function push(relay: RelayProcess, jwt: string, notifications: unknown[]): Promise<RelayResult[]> {
  const res = await post(relay, { authorization: `bearer ${jwt}`, notifications });
  if (res.status !== 200) throw new Error(`relay answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { results: RelayResult[] }).results;
}

export const walletPush = (token: string, environment = "production") => ({
  token,
  topic: "pass.dev.passlite.local",
  pushType: "background",
  priority: 5,
  payload: {},
  environment,
});

export const tokens = (n: number, label = "tok") => Array.from({ length: n }, (_, i) => `${label}-${i}-${crypto.randomUUID()}`);

/** How many times the stand-in processed each token. */
export function deliveries(standIn: ApnsStandIn, wanted: string[]): number[] {
  const counts = new Map<string, number>();
  for (const r of standIn.requests) counts.set(r.token, (counts.get(r.token) ?? 0) + 1);
  return wanted.map((t) => counts.get(t) ?? 0);
}
