/** How scan refusals read to the person at the door. */

/** "45s", "3m 20s", "1h 5m": the time left in its two largest units, rounded up so a retry then succeeds. */
export function timeLeft(seconds: number): string {
  const total = Math.max(1, Math.ceil(seconds));
  if (total < 60) return `${total}s`;
  if (total < 3600) {
    const [minutes, rest] = [Math.floor(total / 60), total % 60];
    return rest ? `${minutes}m ${rest}s` : `${minutes}m`;
  }
  let hours = Math.floor(total / 3600);
  let minutes = Math.ceil((total % 3600) / 60);
  if (minutes === 60) [hours, minutes] = [hours + 1, 0];
  return minutes ? `${hours}h ${minutes}m` : `${hours}h`;
}

// One formatter per timezone and isolate: building one costs far more than using it.
const clocks = new Map<string, Intl.DateTimeFormat>();

/** "14:30": the instant on a 24-hour clock in `timezone` (UTC if the name is unknown). */
export function clockTime(iso: string, timezone: string): string {
  let clock = clocks.get(timezone);
  if (!clock) {
    const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } as const;
    try {
      clock = new Intl.DateTimeFormat("en-GB", { ...options, timeZone: timezone });
    } catch {
      clock = new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" });
    }
    clocks.set(timezone, clock);
  }
  return clock.format(new Date(iso));
}
