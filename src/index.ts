import { buildApp } from "./app";
import type { Env } from "./env";
import { consumeWalletUpdates } from "./queue/wallet-consumer";
import type { WalletUpdate } from "./queue/wallet-updates";

export { CredentialGuard } from "./durable/credential-guard";
export { ApnsRelayContainer } from "./wallet/apple/apns-relay-container";

const app = buildApp();

export default {
  fetch: app.fetch,
  queue: (batch, env) => consumeWalletUpdates(batch as MessageBatch<WalletUpdate>, env),
} satisfies ExportedHandler<Env, WalletUpdate>;
