import { describe, expect, it } from "vitest";
import { qrSvg } from "../../src/web/qr";

/** The dark modules the SVG draws, as a grid of its viewBox (one unit per module, quiet zone included). */
function modules(svg: string): boolean[][] {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)![1]);
  const grid = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  for (const [, x, y] of svg.matchAll(/M(\d+),(\d+)h1v1h-1z/g)) grid[Number(y)]![Number(x)] = true;
  return grid;
}

/** A QR finder pattern: a dark 7×7 ring, a light ring, a dark 3×3 centre. */
function isFinder(grid: boolean[][], top: number, left: number): boolean {
  for (let r = 0; r < 7; r++)
    for (let c = 0; c < 7; c++) {
      const ring = Math.max(Math.abs(r - 3), Math.abs(c - 3));
      if (grid[top + r]![left + c] !== (ring !== 2)) return false;
    }
  return true;
}

describe("qrSvg", () => {
  it("draws a QR symbol with its three finder patterns, timing lines and a 4-module quiet zone", () => {
    const svg = qrSvg("https://api.passlite.test/pass/PL-ABCDE-12345-67890/0123456789abcdef0123456789abcdef01234567");
    const grid = modules(svg);
    const count = grid.length - 8;
    expect((count - 17) % 4).toBe(0); // 21, 25, 29…: a QR version's size
    for (const line of [grid[0]!, grid[1]!, grid[2]!, grid[3]!, grid.at(-1)!, grid.at(-4)!]) expect(line.some(Boolean)).toBe(false);
    for (const row of grid) expect(row.slice(0, 4).some(Boolean) || row.slice(-4).some(Boolean)).toBe(false);
    expect(isFinder(grid, 4, 4)).toBe(true);
    expect(isFinder(grid, 4, 4 + count - 7)).toBe(true);
    expect(isFinder(grid, 4 + count - 7, 4)).toBe(true);
    expect(isFinder(grid, 4 + count - 7, 4 + count - 7)).toBe(false);
    // Row and column 6 of the symbol alternate dark and light between the finders.
    for (let i = 8; i < count - 8; i++) {
      expect(grid[4 + 6]![4 + i]).toBe(i % 2 === 0);
      expect(grid[4 + i]![4 + 6]).toBe(i % 2 === 0);
    }
  });

  it("grows with what it encodes, is sized as asked, and needs nothing outside itself", () => {
    const short = qrSvg("PL-1");
    const long = qrSvg("x".repeat(300));
    expect(modules(long).length).toBeGreaterThan(modules(short).length);
    expect(qrSvg("PL-1", 120)).toContain('width="120" height="120"');
    expect(short).not.toMatch(/href|<script|<image/);
  });
});
