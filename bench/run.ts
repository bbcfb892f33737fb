// `npm run bench`: one JSON line per measurement, {name, unit, median, p99, n}.
// `npm run bench -- scan scale` runs only the suites named.

import { report, startBenchWorker } from "./harness";
import { benchApnsRelay, startApnsRelayStack } from "./suites/apns";
import { benchAuthOverhead } from "./suites/auth";
import { benchMagicLink } from "./suites/customers";
import { benchPasses } from "./suites/passes";
import { benchPipeline } from "./suites/pipeline";
import { benchScale } from "./suites/scale";
import { benchScan } from "./suites/scan";
import { benchStatefulCalls } from "./suites/stateful";
import { benchWallet } from "./suites/wallet";

const only = new Set(process.argv.slice(2));
const wanted = (suite: string) => only.size === 0 || only.has(suite);

if (["auth", "wallet", "stateful", "passes", "customers", "apns", "pipeline", "scale"].some(wanted)) {
  const apns = await startApnsRelayStack();
  const worker = await startBenchWorker(apns.vars);
  try {
    // Suites that issue passes leave the queue consumers fanning out behind them: the in-isolate
    // timings (auth, pkpass) run first, on a quiet Worker.
    for (const [name, suite] of [
      ["auth", benchAuthOverhead],
      ["wallet", benchWallet],
      ["stateful", benchStatefulCalls],
      ["passes", benchPasses],
      ["customers", benchMagicLink],
    ] as const) {
      if (wanted(name)) for (const result of await suite(worker.origin)) report(result);
    }
    if (wanted("apns")) for (const result of await benchApnsRelay(worker.origin, apns.standIn)) report(result);
    if (wanted("pipeline")) for (const result of await benchPipeline(worker.origin)) report(result);
    if (wanted("scale")) for (const result of await benchScale(worker.origin, worker.state)) report(result);
  } finally {
    await worker.stop();
    await apns.stop();
  }
}

// Scans get a Worker of their own, without Google Wallet: here Google's API is unreachable, and
// the retries of the other suites' syncs would be measured instead of the scans.
if (wanted("scan")) {
  const worker = await startBenchWorker({ GOOGLE_ISSUER_ID: "", GOOGLE_SERVICE_ACCOUNT_EMAIL: "", GOOGLE_PRIVATE_KEY: "" });
  try {
    for (const result of await benchScan(worker.origin, worker.state)) report(result);
  } finally {
    await worker.stop();
  }
}
