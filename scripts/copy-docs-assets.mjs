#!/usr/bin/env node
// wrangler.toml's `[build]` command (run by `wrangler dev` and `wrangler deploy`): puts Scalar's
// standalone browser bundle among the Worker's static assets, so /docs loads it from the Worker
// itself (no CDN) without adding 4 MB to the Worker bundle.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "node_modules", "@scalar", "api-reference", "dist", "browser", "standalone.js");
const target = join(root, "build", "assets", "docs", "scalar.js");
mkdirSync(dirname(target), { recursive: true });
copyFileSync(source, target);
