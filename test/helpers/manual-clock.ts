// A clock tests move by hand: `sleep` resolves when `advance` passes its deadline (or its signal
// aborts), so batching deadlines and backoff are tested without waiting.
import type { Clock } from "../../server/clock";

export interface ManualClock extends Clock {
  /** Moves time forward and resolves every sleep whose deadline has come. */
  advance(ms: number): void;
  /** Sleeps not yet resolved. */
  sleepers(): number;
}

export function createManualClock(startMs = Date.UTC(2026, 0, 5, 1, 0, 0)): ManualClock {
  let nowMs = startMs;
  const timers = new Set<{ at: number; resolve: () => void }>();
  return {
    now: () => nowMs,
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const timer = {
          at: nowMs + ms,
          resolve: () => {
            timers.delete(timer);
            resolve();
          },
        };
        timers.add(timer);
        signal?.addEventListener("abort", timer.resolve, { once: true });
      });
    },
    advance(ms) {
      nowMs += ms;
      for (const timer of [...timers]) if (timer.at <= nowMs) timer.resolve();
    },
    sleepers: () => timers.size,
  };
}
