import { describe, expect, it } from "vitest";
import { SlidingWindow } from "../../src/durable/sliding-window";

describe("SlidingWindow", () => {
  it("slides: a burst at a window edge cannot pass twice the limit", () => {
    const window = new SlidingWindow();
    const start = 1_000_000_000_000;
    // 60 requests in the last second of one minute…
    for (let i = 0; i < 60; i++) expect(window.consume(60, start + 59_000 + i).allowed).toBe(true);
    // …leave nothing for the first seconds of the next one.
    expect(window.consume(60, start + 61_000).allowed).toBe(false);
    expect(window.consume(60, start + 118_000)).toMatchObject({ allowed: false, retryAfter: 1, remaining: 0 });
    // A minute after the burst, the window has slid past it, one request at a time.
    expect(window.consume(60, start + 119_001)).toMatchObject({ allowed: true, remaining: 1 });
    expect(window.consume(60, start + 119_001)).toMatchObject({ allowed: true, remaining: 0 });
    expect(window.consume(60, start + 119_001)).toMatchObject({ allowed: false });
  });

  it("forgets admissions older than a minute", () => {
    const window = new SlidingWindow();
    for (let i = 0; i < 5; i++) window.consume(5, 1000 + i);
    expect(window.consume(5, 1004 + 60_000)).toMatchObject({ allowed: true, remaining: 4 });
  });
});
