// Sends one real push through a running relay and prints Apple's answer, to check a key, a topic
// and a device token against Apple (sandbox by default) before relying on them:
//
//   APNS_RELAY_SECRET=… node relay/check-push.ts --relay http://127.0.0.1:8080 \
//     --key AuthKey_ABC123DEFG.p8 --key-id ABC123DEFG --team-id DEF123GHIJ \
//     --topic pass.com.example.loyalty --token <device token> [--environment production]
//
// Exit status 0 when Apple answered 200.
import { createPrivateKey, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

const base64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/** The ES256 provider token the Worker would mint: header {alg, kid}, claims {iss: team, iat}. */
export function providerToken(privateKeyPem: string, keyId: string, teamId: string, nowMs = Date.now()): string {
  const input = `${base64url(JSON.stringify({ alg: "ES256", kid: keyId }))}.${base64url(JSON.stringify({ iss: teamId, iat: Math.floor(nowMs / 1000) }))}`;
  const signature = sign("sha256", Buffer.from(input), { key: createPrivateKey(privateKeyPem), dsaEncoding: "ieee-p1363" });
  return `${input}.${base64url(signature)}`;
}

const HINTS: Record<string, string> = {
  BadDeviceToken: "the token is not valid for this environment (Wallet tokens are production tokens; try --environment production)",
  DeviceTokenNotForTopic: "the token belongs to another topic (for Wallet: another Pass Type ID)",
  InvalidProviderToken: "Apple did not accept the key id, team id or key",
  TopicDisallowed: "the key may not push to this topic",
  Unregistered: "the device no longer holds the pass or app",
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      relay: { type: "string", default: "http://127.0.0.1:8080" },
      key: { type: "string" },
      "key-id": { type: "string" },
      "team-id": { type: "string" },
      topic: { type: "string" },
      token: { type: "string" },
      environment: { type: "string", default: "sandbox" },
    },
  });
  const secret = process.env.APNS_RELAY_SECRET;
  const { key, "key-id": keyId, "team-id": teamId, topic, token } = values;
  if (!secret || !key || !keyId || !teamId || !topic || !token) {
    process.stderr.write("needs APNS_RELAY_SECRET and --key --key-id --team-id --topic --token (see the top of this file)\n");
    return 2;
  }
  const res = await fetch(`${values.relay.replace(/\/+$/, "")}/push`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({
      authorization: `bearer ${providerToken(readFileSync(key, "utf8"), keyId, teamId)}`,
      notifications: [{ token, topic, pushType: "background", priority: 5, payload: {}, environment: values.environment }],
    }),
  });
  if (res.status !== 200) {
    process.stderr.write(`the relay answered ${res.status}: ${await res.text()}\n`);
    return 1;
  }
  const { results } = (await res.json()) as { results: Array<{ status: number; reason?: string }> };
  const [result] = results;
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (result?.status === 200) return 0;
  const hint = result?.reason ? HINTS[result.reason] : undefined;
  if (hint) process.stderr.write(`${hint}\n`);
  return 1;
}

if (import.meta.main) process.exitCode = await main();
