import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { type Environment, parseBatch } from "./batch.ts";
import type { Log } from "./log.ts";
import { carriesSecret } from "./secret.ts";
import type { PushResult, Upstream } from "./upstream.ts";

// 1,000 notifications are about 200 KB; anything near this is not a PassLite batch.
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface RelayServerOptions {
  secret: string;
  upstreams: Record<Environment, Upstream>;
  log: Log;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** Counts of Apple's statuses in a batch, for the log: `{"200": 998, "410": 2}`. */
function statusCounts(results: PushResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of results) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

async function push(req: IncomingMessage, res: ServerResponse, options: RelayServerOptions): Promise<void> {
  let text: string;
  try {
    text = await readBody(req);
  } catch (error) {
    if (error instanceof BodyTooLarge) return reply(res, 413, { error: `body over ${MAX_BODY_BYTES} bytes` }, { connection: "close" });
    throw error;
  }
  const parsed = parseBatch(text);
  if (!parsed.ok) return reply(res, parsed.status, { error: parsed.error });
  const { authorization, notifications } = parsed.batch;
  const started = Date.now();
  const results = await Promise.all(notifications.map((n) => options.upstreams[n.environment].push(n, authorization)));
  options.log("info", "batch", { notifications: notifications.length, ms: Date.now() - started, statuses: statusCounts(results) });
  reply(res, 200, { results });
}

/**
 * The relay's HTTP/1.1 face:
 *   GET  /health  open, for the container platform
 *   POST /push    a batch (see batch.ts), only with `Authorization: Bearer <APNS_RELAY_SECRET>`;
 *                 answers `{results: [{status, apnsId?, reason?, timestamp?}]}` in the batch's order
 */
export function createRelayServer(options: RelayServerOptions): Server {
  return createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const path = new URL(req.url ?? "/", "http://relay").pathname;
    if (path === "/health" && req.method === "GET") return reply(res, 200, { ok: true });
    if (!carriesSecret(req.headers.authorization, options.secret)) {
      return reply(res, 401, { error: "unauthorized" }, { "www-authenticate": "Bearer" });
    }
    if (path !== "/push") return reply(res, 404, { error: "not found" });
    if (req.method !== "POST") return reply(res, 405, { error: "method not allowed" }, { allow: "POST" });
    push(req, res, options).catch((error: unknown) => {
      options.log("error", "push failed", { error: String(error) });
      if (!res.headersSent) reply(res, 500, { error: "internal error" });
    });
  });
}
