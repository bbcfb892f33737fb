import type { PassRow } from "../db/passes";

/** One pass changed: wallets holding it should fetch the new version. */
export interface WalletUpdate {
  /** The shard holding the pass. */
  shard: string;
  passId: string;
  version: number;
}

const SEND_BATCH_LIMIT = 100;

/** Called after the D1 batch that changed the passes has committed. */
export async function enqueueWalletUpdates(
  queue: Queue<WalletUpdate>,
  shard: string,
  rows: Array<Pick<PassRow, "id" | "version">>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += SEND_BATCH_LIMIT) {
    await queue.sendBatch(rows.slice(i, i + SEND_BATCH_LIMIT).map((row) => ({ body: { shard, passId: row.id, version: row.version } })));
  }
}
