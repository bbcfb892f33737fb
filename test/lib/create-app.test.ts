import { describe, expect, it } from "vitest";
import { keyAuth, proBusiness, request } from "../support/api";

const timing = (res: Response) => {
  const header = res.headers.get("server-timing") ?? "";
  return Object.fromEntries([...header.matchAll(/(\w+);dur=([\d.]+)/g)].map(([, name, dur]) => [name, Number(dur)]));
};

describe("Server-Timing", () => {
  it("tells a merchant how long the request took and how much of it was D1", async () => {
    const { businessId, liveKey } = await proBusiness();
    const res = await request(`/businesses/${businessId}/passes`, { headers: keyAuth(liveKey) });
    expect(res.status).toBe(200);
    const { app, db } = timing(res);
    expect(app).toBeGreaterThan(0);
    expect(db).toBeGreaterThan(0);
    expect(db).toBeLessThanOrEqual(app!);
  });

  it("is on errors too, with no D1 time when none was spent", async () => {
    const res = await request("/businesses/me", { headers: keyAuth("pb_live_not-a-key") });
    expect(res.status).toBe(401);
    expect(timing(res)).toEqual({ app: expect.any(Number), db: 0 });
  });
});
