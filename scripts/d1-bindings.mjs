// The D1 bindings wrangler.toml declares (the control database and every shard): each one gets
// the same migrations, locally and on deploy.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export function d1Bindings() {
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
  const bindings = [];
  for (const block of toml.split(/^\[\[d1_databases\]\]\s*$/m).slice(1)) {
    const match = /^binding\s*=\s*"([^"]+)"/m.exec(block.split(/^\[/m)[0]);
    if (match) bindings.push(match[1]);
  }
  return bindings;
}

// `node scripts/d1-bindings.mjs migrate --remote`: apply migrations to every D1 binding.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === "migrate") {
  const { spawnSync } = await import("node:child_process");
  const wrangler = join(root, "node_modules", ".bin", "wrangler");
  for (const binding of d1Bindings()) {
    const result = spawnSync(wrangler, ["d1", "migrations", "apply", binding, ...process.argv.slice(3)], { cwd: root, stdio: "inherit" });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}
