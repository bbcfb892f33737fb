// `npm run bench`: one JSON line per measurement, {name, unit, median, p99, n}.

import { report, startBenchWorker } from "./harness";
import { benchAuthOverhead } from "./suites/auth";
import { benchPasses } from "./suites/passes";
import { benchWallet } from "./suites/wallet";

const worker = await startBenchWorker();
try {
  for (const suite of [benchAuthOverhead, benchPasses, benchWallet]) {
    for (const result of await suite(worker.origin)) report(result);
  }
} finally {
  await worker.stop();
}
