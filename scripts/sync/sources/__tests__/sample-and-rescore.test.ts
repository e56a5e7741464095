import { join } from 'node:path';
import { DEFAULT_ENGAGEMENT } from '../../engagement';
import { rescore } from '../../rescore';
import type { AsyncStore } from '../../store';
import { cleanup, newStore, run, tempDir } from './helpers';

const SAMPLE = join(__dirname, '..', '..', '..', '..', 'samples', 'community-export');

describe('the demo sample export', () => {
  let dir: string;
  let store: AsyncStore;

  beforeAll(() => {
    dir = tempDir();
    store = newStore(dir);
  });
  afterAll(async () => {
    await store.close();
    cleanup(dir);
  });

  it('ingests cleanly: a few hundred members, thousands of activities, nothing skipped', async () => {
    const summary = await run(store, SAMPLE, {
      workspaceName: 'Tightknit Demo Community',
      workspaceDomain: 'tightknit-demo',
      now: new Date('2026-11-21T00:00:00Z'),
    });
    expect(summary.skipped).toEqual([]);
    expect(summary.members.new).toBeGreaterThan(300);
    expect(summary.members.placeholders).toBeGreaterThan(0);
    expect(summary.activities.new).toBeGreaterThan(4000);
    expect(summary.privateConversationsSkipped).toBe(1);
    const levels = new Set((await store.changedMembers(0, 10_000)).map((m) => m.row.engagementLevel));
    expect([...levels].sort()).toEqual(['Champion', 'High', 'Low', 'Medium', 'None']);
  });

  it('rescore decays scores as days pass and only moves members that changed', async () => {
    const before = await store.maxSeq();
    expect(
      await rescore({ store, config: { engagement: DEFAULT_ENGAGEMENT }, now: new Date('2026-11-21T18:00:00Z') }),
    ).toEqual({ changed: 0, at: '2026-11-21T18:00:00.000Z' });
    const later = await rescore({
      store,
      config: { engagement: DEFAULT_ENGAGEMENT },
      now: new Date('2027-01-15T00:00:00Z'),
    });
    expect(later.changed).toBeGreaterThan(100);
    expect(await store.countChanged('member', before)).toBe(later.changed);
    expect(await store.countChanged('activity', before)).toBe(0);
  });
});
