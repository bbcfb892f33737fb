// A real `wrangler dev` of the Worker for code that runs in Node (browser tests, `npm run bench`):
// its own port, and a fresh local D1/DO/R2 state with the migrations applied, removed on stop.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { d1Bindings } from "../../scripts/d1-bindings.mjs";

const root = join(import.meta.dirname, "..", "..");
const wrangler = join(root, "node_modules", ".bin", "wrangler");

export interface LocalWorker {
  origin: string;
  /** The `--persist-to` directory: the local D1 databases' SQLite files live under it. */
  state: string;
  stop: () => Promise<void>;
}

export interface LocalWorkerOptions {
  /** Entry module relative to the repository; wrangler.toml's `main` when omitted. */
  entry?: string;
  /** `--var`s (secrets included); API_ORIGIN and APP_ORIGIN default to the Worker's own origin. */
  vars: Record<string, string>;
}

export async function startLocalWorker({ entry, vars }: LocalWorkerOptions): Promise<LocalWorker> {
  const state = mkdtempSync(join(tmpdir(), "passlite-worker-"));
  // Offline, and on its own: no fetch of Cloudflare's request.cf data, and a dev registry of its
  // own, so other local wrangler sessions never consume this Worker's queues (nor it theirs).
  const env = {
    ...process.env,
    CI: "true",
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_REGISTRY_PATH: join(state, "registry"),
  };
  for (const binding of d1Bindings()) {
    const migrate = spawnSync(wrangler, ["d1", "migrations", "apply", binding, "--local", "--persist-to", state], {
      cwd: root,
      env,
      encoding: "utf8",
    });
    if (migrate.status !== 0) throw new Error(`migrations of ${binding} failed: ${migrate.stderr}`);
  }

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const args = ["dev", ...(entry ? [entry] : []), "--port", String(port), "--ip", "127.0.0.1", "--persist-to", state];
  args.push("--log-level", "error", "--show-interactive-dev-session=false");
  for (const [name, value] of Object.entries({ API_ORIGIN: origin, APP_ORIGIN: origin, ...vars })) args.push("--var", `${name}:${value}`);
  const child: ChildProcess = spawn(wrangler, args, { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(state, { recursive: true, force: true });
  };

  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) break;
    try {
      await fetch(`${origin}/api/v1/openapi.json`);
      return { origin, state, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const exitCode = child.exitCode;
  await stop();
  throw new Error(exitCode === null ? `wrangler dev did not answer on ${origin}` : `wrangler dev exited with ${exitCode}`);
}

/** A port nothing listens on right now (the OS picks it; wrangler binds it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
