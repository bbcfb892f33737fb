import { loadConfig } from "../config";
import { DataContext } from "../db/data-context";
import { shardsInUse } from "../db/shards";
import type { Env } from "../env";
import { archiveOldEvents } from "./retention";
import { sweepPipeline } from "./sweep";

/** The Worker's scheduled() handler, every minute: the pipeline's sweep, then retention when configured. */
export async function runCron(env: Env, now = Date.now()): Promise<void> {
  const config = loadConfig(env);
  const data = new DataContext(env);
  const shards = await shardsInUse(data.control, config.D1_SHARDS);
  await sweepPipeline(env, data, shards, now);
  if (config.EVENT_RETENTION_DAYS) await archiveOldEvents(env, data, shards, config.EVENT_RETENTION_DAYS, now);
}
