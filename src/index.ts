import { buildApp } from "./app";
import { runCron } from "./cron";
import type { Env } from "./env";
import { consumeQueue } from "./queue";

export { CredentialGuard } from "./durable/credential-guard";
export { Throttle } from "./durable/throttle";
export { ApnsRelayContainer } from "./wallet/apple/apns-relay-container";

const app = buildApp();

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeQueue(batch, env),
  scheduled: (_controller, env) => runCron(env),
} satisfies ExportedHandler<Env>;
