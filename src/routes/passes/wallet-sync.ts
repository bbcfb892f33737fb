import type { Context } from "hono";
import type { PassRow } from "../../db/passes";
import { enqueueWalletUpdates } from "../../queue/wallet-updates";
import type { AppEnv } from "../../types";

/**
 * After a change has committed, queue the wallet pushes without holding up the response. A
 * failed enqueue is logged; the change itself stands (and the event row records it).
 */
export function syncWallets(c: Context<AppEnv>, rows: Array<Pick<PassRow, "id" | "version">>): void {
  if (rows.length === 0) return;
  c.executionCtx.waitUntil(
    enqueueWalletUpdates(c.env.WALLET_QUEUE, c.var.tenant.shard, rows).catch((error: unknown) =>
      console.error(JSON.stringify({ level: "error", requestId: c.var.requestId, message: "wallet enqueue failed", error: String(error) })),
    ),
  );
}
