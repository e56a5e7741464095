import type { RunContext } from '../context';
import { ResultBatches } from '../result-batches';

/** A run context whose ledger writes are recorded, each finishing when the test lets it. */
function fakeContext() {
  const log: string[] = [];
  const gates: Array<{ label: string; open: () => void; fail: (e: Error) => void }> = [];
  const write = (label: string) =>
    new Promise<void>((open, fail) => {
      log.push(`start ${label}`);
      gates.push({ label, open: () => (log.push(`end ${label}`), open()), fail });
    });
  const ctx = {
    succeeded: (_kind: string, rows: ReadonlyArray<readonly [string, string]>) =>
      rows.length === 0 ? Promise.resolve() : write(`ok ${rows[0][0]}..${rows[rows.length - 1][0]}`),
    failed: (_run: number, _job: number, _kind: string, rows: ReadonlyArray<readonly [string, string]>) =>
      rows.length === 0 ? Promise.resolve() : write(`bad ${rows.length}`),
    ledger: { forgetRecords: (_kind: string, ids: string[]) => write(`forget ${ids.length}`) },
  } as unknown as RunContext;
  return { ctx, log, gates };
}

const tick = () => new Promise((r) => setImmediate(r));

function fill(b: ResultBatches, from: number, n: number): Promise<void> | undefined {
  let last: Promise<void> | undefined;
  for (let i = from; i < from + n; i++) {
    b.ok.push([`r${i}`, `s${i}`]);
    last = b.next() ?? last;
  }
  return last;
}

describe('ResultBatches', () => {
  it('writes a full batch while the next is read, one write at a time, in order', async () => {
    const { ctx, log, gates } = fakeContext();
    const b = new ResultBatches(ctx, 1, 2, 'activity');
    // The first full batch starts writing and the reader goes on at once (nothing written before it).
    await fill(b, 0, 1000);
    expect(log).toEqual(['start ok r0..r999']);
    // The second full batch waits for the first write before the reader may go on.
    let readerOn = false;
    void fill(b, 1000, 1000)?.then(() => (readerOn = true));
    await tick();
    expect(readerOn).toBe(false);
    expect(log).toEqual(['start ok r0..r999']);
    gates[0].open();
    await tick();
    expect(readerOn).toBe(true);
    expect(log).toEqual(['start ok r0..r999', 'end ok r0..r999', 'start ok r1000..r1999']);
    // finish writes the rest after the batch under way, and returns once all are in.
    b.ok.push(['r2000', 's2000']);
    b.bad.push(['r2001', 'REQUIRED_FIELD_MISSING:x']);
    let finished = false;
    const done = b.finish().then(() => (finished = true));
    gates[1].open();
    for (let i = 0; i < 4; i++) await tick();
    expect(log.slice(3)).toEqual(['end ok r1000..r1999', 'start ok r2000..r2000']);
    gates[2].open();
    await tick();
    gates[3].open();
    await done;
    expect(finished).toBe(true);
    expect(log.slice(5)).toEqual(['end ok r2000..r2000', 'start bad 1', 'end bad 1']);
  });

  it("a failed write's error reaches the reader, and later batches are not written", async () => {
    const { ctx, log, gates } = fakeContext();
    const b = new ResultBatches(ctx, 1, 2, 'member');
    await fill(b, 0, 1000);
    const second = fill(b, 1000, 1000);
    gates[0].fail(new Error('connection lost'));
    await expect(second).rejects.toThrow('connection lost');
    await expect(b.finish()).rejects.toThrow('connection lost');
    expect(log).toEqual(['start ok r0..r999']);
  });

  it('settle waits for the write under way and keeps quiet about its error', async () => {
    const { ctx, gates } = fakeContext();
    const b = new ResultBatches(ctx, 1, 2, 'member');
    await fill(b, 0, 1000);
    let settled = false;
    const s = b.settle().then(() => (settled = true));
    await tick();
    expect(settled).toBe(false);
    gates[0].fail(new Error('gone'));
    await s;
    expect(settled).toBe(true);
  });
});
