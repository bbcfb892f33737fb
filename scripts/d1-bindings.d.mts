/** The D1 bindings wrangler.toml declares: the control database and every shard. */
export function d1Bindings(): string[];
