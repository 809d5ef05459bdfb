/** What the pane's sync wiring reads from the device's clock and zone. */

/** The device's IANA zone, or `fallback` when the browser cannot tell. */
export function personZone(fallback: string): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || fallback;
  } catch {
    return fallback;
  }
}

/** Milliseconds from `now` to the next local midnight (strictly after `now`). */
export function msUntilNextMidnight(now: number): number {
  const next = new Date(now);
  next.setHours(24, 0, 0, 0);
  return Math.max(1, next.getTime() - now);
}
