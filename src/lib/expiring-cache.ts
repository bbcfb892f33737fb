/** A value and the epoch ms after which it must be loaded again. */
export interface Expiring<T> {
  value: T;
  freshUntilMs: number;
}

/**
 * A per-isolate cache of things that expire and are costly to get (OAuth tokens, signing tokens,
 * published key sets): callers that find the value stale while it is being loaded share that one
 * load, and a failed load is not cached.
 */
export class ExpiringCache<T> {
  private readonly entries = new Map<string, Expiring<T>>();
  private readonly loading = new Map<string, Promise<Expiring<T>>>();

  async get(key: string, nowMs: number, load: () => Promise<Expiring<T>>, options: { staleOnError?: boolean } = {}): Promise<T> {
    const cached = this.entries.get(key);
    if (cached && nowMs < cached.freshUntilMs) return cached.value;
    let pending = this.loading.get(key);
    if (!pending) {
      pending = load()
        .then((entry) => {
          this.entries.set(key, entry);
          return entry;
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    try {
      return (await pending).value;
    } catch (error) {
      if (options.staleOnError && cached) return cached.value;
      throw error;
    }
  }

  /** Drops `value` if it is still the cached one (a newer value may already have replaced it). */
  invalidate(key: string, value: T): void {
    if (this.entries.get(key)?.value === value) this.entries.delete(key);
  }
}
