/**
 * The server's only source of time. Tests inject `now`; the sandbox API can move it forward
 * (`POST /sandbox/clock`) so that a client running in another process can see tokens and
 * leases expire without waiting.
 */
export interface Clock {
  now(): number;
  advance(ms: number): void;
}

export function createClock(base: () => number = Date.now): Clock {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance: (ms) => {
      offset += ms;
    },
  };
}
