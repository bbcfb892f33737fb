// Starts the relay as a child Node process on a free port: how `npm run dev`, the tests and the
// bench run it without Docker. Not part of the container image.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

export interface RelayProcess {
  /** http://127.0.0.1:<port> */
  origin: string;
  stop(): Promise<void>;
}

export interface RelayLaunchOptions {
  /** The relay's environment (see src/main.ts). PORT defaults to 0 (a free port), HOST to 127.0.0.1. */
  env: Record<string, string>;
  /** Each line the relay logs after it started; dropped by default. */
  onLog?: (line: string) => void;
  startTimeoutMs?: number;
}

const MAIN = join(import.meta.dirname, "src", "main.ts");

export function startRelayProcess({ env, onLog, startTimeoutMs = 15_000 }: RelayLaunchOptions): Promise<RelayProcess> {
  if (!process.features.typescript) {
    throw new Error(
      `The APNs relay is TypeScript that Node runs directly: it needs Node >= 22.18, not ${process.version}. ` +
        "Run it through the npm scripts, which use the project's Node 22.",
    );
  }
  // Only what the relay is given: nothing leaks in from the shell that started the tests.
  const child = spawn(process.execPath, [MAIN], {
    env: { PORT: "0", HOST: "127.0.0.1", ...env, EXIT_WITH_PARENT: "1" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  const stderr: string[] = [];
  let started = false;
  child.stderr.on("data", (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    if (started) onLog?.(text.trimEnd());
    else stderr.push(text);
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the relay did not start within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`the relay exited (${code}) before listening: ${stderr.join("")}`));
    });
    createInterface({ input: child.stdout }).on("line", (line) => {
      if (started) return onLog?.(line);
      let event: { message?: string; port?: number; level?: string };
      try {
        event = JSON.parse(line);
      } catch {
        event = {};
      }
      if (event.level === "error") stderr.push(line);
      if (event.message !== "listening" || typeof event.port !== "number") return;
      started = true;
      clearTimeout(timer);
      resolve({ origin: `http://127.0.0.1:${event.port}`, stop });
    });
  });
}
