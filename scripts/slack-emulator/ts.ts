/**
 * Slack message timestamps ("1704067200.000100": seconds, a dot, six digits) are ids as much as
 * times. Compared as normalised strings, never as floats: a double cannot hold 16 significant digits.
 */

/** Normalises "1704067200", "1704067200.5" or "0" to "1704067200.500000" (10 + 1 + 6 characters). */
export function tsKey(ts: string): string {
  const m = /^(\d{1,10})(?:\.(\d{0,6}))?$/.exec(ts.trim());
  if (!m) return '';
  return `${m[1].padStart(10, '0')}.${(m[2] ?? '').padEnd(6, '0')}`;
}

/** The ts for a time in microseconds since the epoch. */
function tsFromMicros(micros: bigint): string {
  const s = micros / 1_000_000n;
  const u = micros % 1_000_000n;
  return `${s}.${u.toString().padStart(6, '0')}`;
}

function tsToMicros(ts: string): bigint {
  const key = tsKey(ts);
  return BigInt(key.replace('.', ''));
}

/** Seconds of a ts, as Slack's `event_time` and `created` fields count. */
export function tsSeconds(ts: string): number {
  return Number(ts.split('.')[0]);
}

/** A clock of strictly increasing ts values: each new message gets a ts no other message has. */
export class TsClock {
  private last = 0n;

  next(nowMs = Date.now()): string {
    let micros = BigInt(nowMs) * 1000n;
    if (micros <= this.last) micros = this.last + 1n;
    this.last = micros;
    return tsFromMicros(micros);
  }

  /** Never issue a ts at or below this one (the fixture's newest message). */
  advancePast(ts: string): void {
    const m = tsToMicros(ts);
    if (m > this.last) this.last = m;
  }
}
