import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerToken, SECRET, startRelayWithStandIns, tokens } from "./harness";

const run = promisify(execFile);
const CHECK = join(import.meta.dirname, "..", "..", "relay", "check-push.ts");

describe("relay/check-push.ts, the operator's one-push check", () => {
  let env: Awaited<ReturnType<typeof startRelayWithStandIns>>;
  let key: Awaited<ReturnType<typeof providerToken>>;
  let dir: string;
  let keyFile: string;
  beforeAll(async () => {
    env = await startRelayWithStandIns();
    key = await providerToken();
    dir = mkdtempSync(join(tmpdir(), "check-push-"));
    keyFile = join(dir, "AuthKey_KEYID12345.p8");
    writeFileSync(keyFile, key.privateKeyPem);
  });
  afterAll(async () => {
    await env.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const check = (token: string, ...extra: string[]) =>
    run(
      process.execPath,
      [CHECK, "--relay", env.relay.origin, "--key", keyFile, "--key-id", "KEYID12345", "--team-id", "TEAM123456"].concat([
        "--topic",
        "com.example.app",
        "--token",
        token,
        ...extra,
      ]),
      { env: { APNS_RELAY_SECRET: SECRET } },
    );

  it("sends one background push to the sandbox with a provider token minted from the .p8, and prints Apple's answer", async () => {
    const [token] = tokens(1);
    const { stdout } = await check(token!);
    expect(JSON.parse(stdout)).toEqual({ status: 200, apnsId: expect.any(String) });
    const [request] = env.sandbox.requests.filter((r) => r.token === token);
    expect(request!.headers).toMatchObject({ "apns-topic": "com.example.app", "apns-push-type": "background", "apns-priority": "5" });
    const jwt = request!.headers.authorization!.replace(/^bearer /, "");
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "ES256", kid: "KEYID12345" });
    expect((await jwtVerify(jwt, key.publicKey, { algorithms: ["ES256"] })).payload.iss).toBe("TEAM123456");
  });

  it("goes to production on request, and exits 1 with a hint when Apple refuses the token", async () => {
    const [token] = tokens(1);
    env.production.answer(token!, { status: 400, reason: "BadDeviceToken" });
    const failure = await check(token!, "--environment", "production").catch(
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining("not valid for this environment") });
    expect(JSON.parse((failure as { stdout: string }).stdout)).toMatchObject({ status: 400, reason: "BadDeviceToken" });
    expect(env.production.requests.filter((r) => r.token === token)).toHaveLength(1);
  });
});
