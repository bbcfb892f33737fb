import type { DurableObject } from "cloudflare:workers";
import { Container } from "@cloudflare/containers";
import type { Env } from "../../env";
import type { FetchLike } from "../signing-keys";

const PORT = 8080;

/**
 * The APNs relay (relay/Dockerfile) as a Cloudflare Container: `[[containers]]` in wrangler.toml, bound
 * as APNS_RELAY. `wrangler deploy` builds and ships the image; locally it is never started
 * (`dev.enable_containers = false`) because dev and tests run the relay as a Node process instead.
 */
export class ApnsRelayContainer extends Container<Env> {
  override defaultPort = PORT;
  // Readiness is checked against the relay's open health route.
  override pingEndpoint = "container/health";
  // The relay's whole job is reaching api.push.apple.com.
  override enableInternet = true;
  // Apple asks providers to keep connections open rather than reconnect for each burst of pushes.
  override sleepAfter = "15m";

  constructor(ctx: DurableObject["ctx"], env: Env) {
    super(ctx, env);
    this.envVars = { APNS_RELAY_SECRET: env.APNS_RELAY_SECRET ?? "", PORT: String(PORT) };
  }
}

/** Requests to the one relay instance, whose long-lived HTTP/2 sessions carry every push. */
export function containerFetch(namespace: DurableObjectNamespace<ApnsRelayContainer>): FetchLike {
  return (input, init) => namespace.get(namespace.idFromName("apns")).fetch(new Request(input, init));
}
