import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startRelayProcess } from "../../relay/launch.ts";
import { startApnsStandIn } from "./apns-stand-in";

declare module "vitest" {
  export interface ProvidedContext {
    /** The APNs relay, a Node child process, aimed at the HTTP/2 stand-in. */
    apnsRelayUrl: string;
    apnsRelaySecret: string;
    /** The stand-in's HTTP/1.1 controls (see apns-stand-in.ts). */
    apnsStandInControl: string;
  }
}

/** For the workers project: pushes go Worker → relay (Node, HTTP/1.1) → APNs stand-in (HTTP/2), as in production. */
export default async function setup(project: TestProject) {
  const standIn = await startApnsStandIn();
  const dir = mkdtempSync(join(tmpdir(), "passlite-apns-"));
  const caFile = join(dir, "stand-in.pem");
  writeFileSync(caFile, standIn.certificatePem);
  const secret = randomBytes(32).toString("hex");
  const relay = await startRelayProcess({
    env: { APNS_RELAY_SECRET: secret, APNS_PRODUCTION_ORIGIN: standIn.origin, APNS_SANDBOX_ORIGIN: standIn.origin, APNS_CA_FILE: caFile },
  });
  project.provide("apnsRelayUrl", relay.origin);
  project.provide("apnsRelaySecret", secret);
  project.provide("apnsStandInControl", standIn.controlOrigin);
  return async () => {
    await relay.stop();
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  };
}
