import { openStore, type EventInbox, type InboxEnvelope, type Store } from '../../../../store';

function env(id: string, type = 'message'): InboxEnvelope {
  return { event_id: id, team_id: 'T1', event_time: 1767000000, event: { type } };
}

describe('EventInbox', () => {
  let store: Store;
  let inbox: EventInbox;
  beforeEach(() => {
    store = openStore({ file: ':memory:' });
    inbox = store.inbox;
  });
  afterEach(() => store.close());

  it('keeps receive order and refuses a duplicate event_id', () => {
    expect(inbox.add(env('Ev2'), '{"b":2}')).toBe(true);
    expect(inbox.add(env('Ev1', 'team_join'), '{"b":1}')).toBe(true);
    expect(inbox.add(env('Ev2'), '{"b":"retry"}')).toBe(false);
    expect(inbox.pending(10)).toEqual([
      expect.objectContaining({ eventId: 'Ev2', type: 'message', body: '{"b":2}' }),
      expect.objectContaining({ eventId: 'Ev1', type: 'team_join', teamId: 'T1', eventTime: 1767000000 }),
    ]);
    expect(inbox.pending(1)).toHaveLength(1);
  });

  it('marks applied inside the caller transaction, and a rollback undoes it', () => {
    inbox.add(env('Ev1'), '{}');
    inbox.add(env('Ev2'), '{}');
    expect(() =>
      store.transaction(() => {
        inbox.markApplied(['Ev1']);
        throw new Error('store write failed');
      }),
    ).toThrow('store write failed');
    expect(inbox.counts()).toMatchObject({ pending: 2, applied: 0 });
    store.transaction(() => inbox.markApplied(['Ev1']));
    expect(inbox.pending(10).map((e) => e.eventId)).toEqual(['Ev2']);
    expect(inbox.counts()).toMatchObject({ pending: 1, applied: 1 });
    expect(inbox.counts().lastReceivedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('counts unknown types and prunes only old applied events', () => {
    inbox.noteUnknownType('emoji_changed');
    inbox.noteUnknownType('emoji_changed');
    inbox.noteUnknownType('app_home_opened');
    expect(inbox.counts().unknownTypes).toBe(3);
    expect(inbox.unknownTypes()).toEqual({ app_home_opened: 1, emoji_changed: 2 });
    const old = new Date('2026-01-01T00:00:00Z');
    inbox.add(env('EvOldApplied'), '{}', old);
    inbox.add(env('EvOldPending'), '{}', old);
    inbox.add(env('EvNewApplied'), '{}');
    inbox.markApplied(['EvOldApplied', 'EvNewApplied']);
    expect(inbox.prune(new Date('2026-01-02T00:00:00Z'))).toBe(1);
    expect(inbox.counts()).toMatchObject({ pending: 1, applied: 1 });
  });
});
