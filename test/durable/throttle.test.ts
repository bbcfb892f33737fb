import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type Throttle, throttleFor } from "../../src/durable/throttle";

const HOUR = 60 * 60 * 1000;
const fresh = (label: string) => throttleFor(env.THROTTLE, `test:${label}:${crypto.randomUUID()}`);
/** Rows in the takes table, or null when the instance has no table at all. */
const rows = (stub: DurableObjectStub<Throttle>) =>
  runInDurableObject(stub, async (_instance: Throttle, state) => {
    const tables = state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'takes'").one().n;
    return tables ? state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM takes").one().n : null;
  });

describe("Throttle", () => {
  it("allows `limit` takes in a sliding window, then says when the next one is allowed", async () => {
    const stub = fresh("window");
    const start = 1_900_000_000_000;
    for (let i = 0; i < 5; i++)
      expect(await stub.take(5, HOUR, start + i * 60_000)).toEqual({ allowed: true, remaining: 4 - i, retryAfter: 0 });
    // The sixth, 30 minutes after the first: refused until the first leaves the window.
    expect(await stub.take(5, HOUR, start + 30 * 60_000)).toEqual({ allowed: false, remaining: 0, retryAfter: 30 * 60 });
    // Refused takes are not counted: one minute after the first has left, one is allowed again…
    expect((await stub.take(5, HOUR, start + HOUR + 1)).allowed).toBe(true);
    // …and only one, since the second is still in the window.
    expect(await stub.take(5, HOUR, start + HOUR + 2)).toMatchObject({ allowed: false, retryAfter: 60 });
  });

  it("counts names apart, and counts concurrent takes exactly", async () => {
    const a = fresh("a");
    const b = fresh("b");
    const results = await Promise.all(Array.from({ length: 12 }, () => a.take(5, HOUR)));
    expect(results.filter((r) => r.allowed)).toHaveLength(5);
    expect((await b.take(5, HOUR)).allowed).toBe(true);
  });

  it("purges what has expired on its alarm and frees its storage once nothing is left", async () => {
    const stub = fresh("alarm");
    for (let i = 0; i < 3; i++) expect((await stub.take(3, HOUR)).allowed).toBe(true);
    const alarm = await runInDurableObject(stub, (_i: Throttle, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThan(Date.now() + HOUR - 60_000);
    const expire = (where: string) =>
      runInDurableObject(stub, (_i: Throttle, state) => {
        state.storage.sql.exec(`UPDATE takes SET expires_at = ? WHERE ${where}`, Date.now() - 1);
      });
    // Two takes' hour passes: the alarm deletes them and waits for the third.
    await expire("rowid <= 2");
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await rows(stub)).toBe(1);
    expect(await runInDurableObject(stub, (_i: Throttle, state) => state.storage.getAlarm())).toBeGreaterThan(Date.now());
    // Once the last has expired, the instance keeps nothing — and still works afterwards.
    await expire("1 = 1");
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await rows(stub)).toBeNull();
    expect(await runInDurableObject(stub, (_i: Throttle, state) => state.storage.getAlarm())).toBeNull();
    expect((await stub.take(1, HOUR)).allowed).toBe(true);
    expect((await stub.take(1, HOUR)).allowed).toBe(false);
  });
});

describe("Throttle: growing delays for guesses", () => {
  const SECOND = 1000;

  it("allows the free attempts, then makes each further one wait twice as long, at most 15 minutes", async () => {
    const stub = fresh("backoff");
    let now = 1_900_000_000_000;
    for (let i = 0; i < 5; i++) expect(await stub.attempt({ free: 5 }, now)).toEqual({ allowed: true });
    // The sixth is allowed and starts a 1 s wait; within it, every attempt is refused.
    expect(await stub.attempt({ free: 5 }, now)).toEqual({ allowed: true });
    expect(await stub.attempt({ free: 5 }, now + 500)).toEqual({ allowed: false, retryAfter: 1 });
    const waits = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900];
    for (const [i, wait] of waits.entries()) {
      now += wait * SECOND;
      expect(await stub.attempt({ free: 5 }, now - 1), `attempt ${7 + i}`).toMatchObject({ allowed: false });
      expect(await stub.attempt({ free: 5 }, now)).toEqual({ allowed: true });
    }
    expect(await stub.attempt({ free: 5 }, now + 1)).toEqual({ allowed: false, retryAfter: 900 });
  });

  it("counts an attempt when it begins, so concurrent guesses get only the free ones and one more", async () => {
    const stub = fresh("burst");
    const now = 1_900_000_000_000;
    const decisions = await Promise.all(Array.from({ length: 30 }, () => stub.attempt({ free: 5 }, now)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(6);
  });

  it("a success clears the account's count (reset) or takes back its own (undo), and a day without attempts forgets them", async () => {
    const now = 1_900_000_000_000;
    const account = fresh("reset");
    for (let i = 0; i < 5; i++) await account.attempt({ free: 5 }, now);
    await account.succeeded("reset");
    for (let i = 0; i < 5; i++) expect(await account.attempt({ free: 5 }, now)).toEqual({ allowed: true });

    const ip = fresh("undo");
    for (let i = 0; i < 3; i++) await ip.attempt({ free: 3 }, now);
    await ip.succeeded("undo");
    expect(await ip.attempt({ free: 3 }, now)).toEqual({ allowed: true });
    expect(await ip.attempt({ free: 3 }, now)).toEqual({ allowed: true });
    expect(await ip.attempt({ free: 3 }, now)).toMatchObject({ allowed: false });

    expect(await ip.attempt({ free: 3 }, now + 24 * HOUR)).toEqual({ allowed: true });
  });

  it("keeps no storage once the failures are forgotten", async () => {
    const stub = fresh("forget");
    await stub.attempt({ free: 5 });
    await runInDurableObject(stub, (_i: Throttle, state) => state.storage.setAlarm(Date.now() + 24 * HOUR + 1000));
    const tables = () =>
      runInDurableObject(
        stub,
        (_i: Throttle, state) => state.storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'backoff'").toArray().length,
      );
    expect(await tables()).toBe(1);
    await runInDurableObject(stub, (_i: Throttle, state) => state.storage.sql.exec("UPDATE backoff SET last_at = last_at - ?", 25 * HOUR));
    await runDurableObjectAlarm(stub);
    expect(await tables()).toBe(0);
  });
});
