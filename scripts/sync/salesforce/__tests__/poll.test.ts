import { nextPollDelay } from '../bulk';

/** When a job that ends `endsAt` ms after its start is first seen ended, polling from `initialMs`. */
function noticedAt(endsAt: number, initialMs: number, maxMs: number): { at: number; polls: number } {
  let at = 0;
  let delay = initialMs;
  for (let polls = 1; ; polls++) {
    at += delay;
    if (at >= endsAt) return { at, polls };
    delay = nextPollDelay(delay, maxMs);
  }
}

describe('the wait between polls of a job without progress figures', () => {
  it('grows by half each time, up to the ceiling', () => {
    expect(nextPollDelay(500, 10_000)).toBe(750);
    expect(nextPollDelay(750, 10_000)).toBe(1125);
    expect(nextPollDelay(8_000, 10_000)).toBe(10_000);
    expect(nextPollDelay(10_000, 10_000)).toBe(10_000);
  });

  it('notices the end of a job at most half its duration (plus the first wait) late', () => {
    for (let endsAt = 1; endsAt <= 60_000; endsAt += 37) {
      expect(noticedAt(endsAt, 500, 60_000).at).toBeLessThanOrEqual(1.5 * endsAt + 500 + 10); // + rounding up of each wait
    }
    // A query job of 0.6 s under load is read 1.25 s after it started (doubling: 1.5 s), one of 1.6 s at 2.4 s (3.5 s).
    expect(noticedAt(600, 500, 10_000).at).toBe(1_250);
    expect(noticedAt(1_600, 500, 10_000).at).toBe(2_375);
  });

  it('keeps polls few: a 30-second job is polled 9 times, a 10-minute one under 70 (10-second ceiling)', () => {
    expect(noticedAt(30_000, 500, 10_000).polls).toBe(9);
    expect(noticedAt(600_000, 500, 10_000).polls).toBeLessThan(70);
  });
});
