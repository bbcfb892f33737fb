// The APNs relay: `node src/main.ts` (Node ≥ 22.18 runs the TypeScript directly).
// Environment: APNS_RELAY_SECRET (required), PORT (8080; 0 picks a free one), HOST (0.0.0.0),
// APNS_PRODUCTION_ORIGIN, APNS_SANDBOX_ORIGIN (Apple's by default), APNS_CA_FILE (an extra CA to
// trust, for a local stand-in), APNS_STREAM_TIMEOUT_MS, APNS_CONNECT_TIMEOUT_MS.
import type { AddressInfo } from "node:net";
import { ConfigError, type RelayConfig, readConfig } from "./config.ts";
import { log } from "./log.ts";
import { createRelayServer } from "./server.ts";
import { Upstream } from "./upstream.ts";

function configOrExit(): RelayConfig {
  try {
    return readConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    log("error", error.message);
    process.exit(1);
  }
}

const config = configOrExit();

const upstream = (origin: string) =>
  new Upstream({ origin, ca: config.ca, streamTimeoutMs: config.streamTimeoutMs, connectTimeoutMs: config.connectTimeoutMs, log });
const upstreams = { production: upstream(config.origins.production), sandbox: upstream(config.origins.sandbox) };
const server = createRelayServer({ secret: config.secret, upstreams, log });

server.listen(config.port, config.host, () => {
  const { port } = server.address() as AddressInfo;
  log("info", "listening", { port, origins: config.origins });
});

function shutdown(): void {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  upstreams.production.close();
  upstreams.sandbox.close();
  // Batches in flight get a moment to finish; then go anyway.
  setTimeout(() => process.exit(0), 5_000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
// Started by `npm run dev`, the tests or the bench: go when the parent does, even if it could not say so.
if (process.env.EXIT_WITH_PARENT === "1") process.stdin.on("end", shutdown).resume();
