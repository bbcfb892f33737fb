// `npm run bench`: one JSON line per measurement, {name, unit, median, p99, n}.

import { report, startBenchWorker } from "./harness";
import { benchApnsRelay, startApnsRelayStack } from "./suites/apns";
import { benchAuthOverhead } from "./suites/auth";
import { benchMagicLink } from "./suites/customers";
import { benchPasses } from "./suites/passes";
import { benchPipeline } from "./suites/pipeline";
import { benchScale } from "./suites/scale";
import { benchWallet } from "./suites/wallet";

const apns = await startApnsRelayStack();
const worker = await startBenchWorker(apns.vars);
try {
  for (const suite of [benchAuthOverhead, benchPasses, benchWallet, benchMagicLink]) {
    for (const result of await suite(worker.origin)) report(result);
  }
  for (const result of await benchApnsRelay(worker.origin, apns.standIn)) report(result);
  for (const result of await benchPipeline(worker.origin)) report(result);
  for (const result of await benchScale(worker.origin, worker.state)) report(result);
} finally {
  await worker.stop();
  await apns.stop();
}
