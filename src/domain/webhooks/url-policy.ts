/**
 * Where PassLite will send webhooks: public HTTPS hosts only. A merchant (or an attacker with a
 * merchant's key) must not be able to aim our deliveries at loopback, private networks, cloud
 * metadata endpoints or anything else that is not the public internet — neither by a literal
 * address in any notation nor by a name that resolves to one. Checked when an endpoint is saved
 * and again before every delivery, since DNS can change in between.
 */

/** Addresses for a host name (A and AAAA); an empty list when it does not resolve. */
export type Resolver = (host: string) => Promise<string[]>;

export interface UrlPolicy {
  /** ENVIRONMENT=development: http://localhost and http://127.0.0.1 receivers are allowed. */
  allowLocalHttp: boolean;
  resolve: Resolver;
}

const LOCAL_NAMES = new Set(["localhost", "127.0.0.1", "[::1]"]);

// IPv4 ranges that are not the public internet: [first address, prefix length, name].
const IPV4_BLOCKED: Array<[string, number, string]> = [
  ["0.0.0.0", 8, "an unspecified address"],
  ["10.0.0.0", 8, "a private (RFC 1918) address"],
  ["100.64.0.0", 10, "a carrier-grade NAT address"],
  ["127.0.0.0", 8, "a loopback address"],
  ["169.254.0.0", 16, "a link-local address"],
  ["172.16.0.0", 12, "a private (RFC 1918) address"],
  ["192.0.0.0", 24, "an IETF protocol address"],
  ["192.168.0.0", 16, "a private (RFC 1918) address"],
  ["198.18.0.0", 15, "a benchmarking address"],
  ["224.0.0.0", 4, "a multicast address"],
  ["240.0.0.0", 4, "a reserved address"],
];

const ipv4Number = (address: string) => address.split(".").reduce((n, part) => n * 256 + Number(part), 0);

function ipv4Problem(address: string): string | null {
  const n = ipv4Number(address);
  for (const [first, prefix, name] of IPV4_BLOCKED) {
    const size = 2 ** (32 - prefix);
    const start = ipv4Number(first);
    if (n >= start && n < start + size) return name;
  }
  return null;
}

/** The 8 groups of an IPv6 address (with any embedded IPv4 tail folded in), or null. */
function ipv6Groups(address: string): number[] | null {
  let text = address.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4Number(v4[1]!);
    text = `${text.slice(0, -v4[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split("::");
  const parse = (part: string | undefined) => (part ? part.split(":").map((g) => Number.parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? left.length !== 8 : missing < 0) return null;
  const groups = [...left, ...Array(tail === undefined ? 0 : missing).fill(0), ...right];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function ipv6Problem(address: string): string | null {
  const g = ipv6Groups(address);
  if (!g) return "an address that cannot be read";
  if (g.every((x) => x === 0)) return "an unspecified address";
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return "a loopback address";
  if ((g[0]! & 0xffc0) === 0xfe80) return "a link-local address";
  if ((g[0]! & 0xfe00) === 0xfc00) return "a unique-local address";
  if ((g[0]! & 0xff00) === 0xff00) return "a multicast address";
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return "an IPv4-mapped address";
  if (g[0] === 0x64 && g[1] === 0xff9b) return "a NAT64 address";
  return null;
}

const isIpv4 = (host: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host);

export function addressProblem(address: string): string | null {
  return address.includes(":") ? ipv6Problem(address.replace(/^\[|\]$/g, "")) : ipv4Problem(address);
}

/** The host exactly as written in the URL (the URL parser rewrites 0x7f.1 and 2130706433 to 127.0.0.1). */
const writtenHost = (url: string) =>
  /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url.trim())?.[1]?.toLowerCase() ?? "";

/** Why PassLite will not deliver to `raw`, or null when it will. */
export async function webhookUrlProblem(raw: string, policy: UrlPolicy): Promise<string | null> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "url must be an absolute URL";
  }
  const host = url.hostname.toLowerCase();
  if (url.username || url.password) return "url must not contain a user name or password";
  if (url.protocol === "http:" && policy.allowLocalHttp && LOCAL_NAMES.has(host)) return null;
  if (url.protocol !== "https:") {
    return policy.allowLocalHttp ? "url must use https:// (or http://localhost in development)" : "url must use https://";
  }
  const written = writtenHost(raw);
  if ((isIpv4(host) || host.startsWith("[")) && written !== host) {
    return `url's host ${written} is an IP address in an unusual notation; write a host name`;
  }
  if (host === "localhost" || host.endsWith(".localhost")) return "url must not point at localhost";
  if (isIpv4(host) || host.startsWith("[")) {
    const problem = addressProblem(host);
    return problem ? `url's host is ${problem}` : null;
  }
  if (!host.includes(".")) return "url must name a public host (with a domain)";
  let addresses: string[];
  try {
    addresses = await policy.resolve(host);
  } catch {
    return `url's host ${host} could not be resolved right now`;
  }
  if (addresses.length === 0) return `url's host ${host} does not resolve`;
  for (const address of addresses) {
    const problem = addressProblem(address);
    if (problem) return `url's host ${host} resolves to ${problem} (${address})`;
  }
  return null;
}

/**
 * Resolves through DNS over HTTPS (JSON API): a Worker has no resolver of its own to ask, and
 * this one is the same the fetch will use in effect. `origin` is configurable so tests can answer.
 */
export function dohResolver(endpoint: string, fetcher: typeof fetch = fetch): Resolver {
  return async (host) => {
    const lookups = ["A", "AAAA"].map(async (type) => {
      const res = await fetcher(`${endpoint}?name=${encodeURIComponent(host)}&type=${type}`, {
        headers: { accept: "application/dns-json" },
        signal: AbortSignal.timeout(5_000),
      });
      if (!res.ok) throw new Error(`DNS lookup failed: HTTP ${res.status}`);
      const body = (await res.json()) as { Answer?: Array<{ type: number; data: string }> };
      return (body.Answer ?? []).filter((a) => a.type === 1 || a.type === 28).map((a) => a.data);
    });
    return (await Promise.all(lookups)).flat();
  };
}
