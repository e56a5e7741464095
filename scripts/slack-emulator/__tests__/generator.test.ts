import { WebClient } from '@slack/web-api';
import { generateWorkspace, startSlackEmulator } from '../index';
import { WorkspaceState } from '../state/workspace';

describe('generateWorkspace', () => {
  it('is deterministic: the same seed gives the same users and messages, another seed does not', () => {
    const a = generateWorkspace({ members: 500, channels: 7, messages: 10_000, seed: 42 });
    const b = generateWorkspace({ members: 500, channels: 7, messages: 10_000, seed: 42 });
    const c = generateWorkspace({ members: 500, channels: 7, messages: 10_000, seed: 43 });
    for (const i of [0, 17, 499, 500]) expect(a.users.at(i)).toEqual(b.users.at(i));
    for (const ch of [0, 3, 6]) {
      const src = a.channels[ch].messages;
      for (const i of [0, 1, src.count - 1]) {
        expect(src.at(i)).toEqual(b.channels[ch].messages.at(i));
        expect(src.replies(i)).toEqual(b.channels[ch].messages.replies(i));
      }
    }
    expect(c.users.at(17)).not.toEqual(a.users.at(17));
    const total = a.channels.reduce((n, ch) => {
      let replies = 0;
      for (let i = 0; i < ch.messages.count; i++) replies += ch.messages.replies(i).length;
      return n + ch.messages.count + replies;
    }, 0);
    expect(total).toBe(10_000);
  });

  it('locates every message by ts, and answers undefined for others', () => {
    const w = generateWorkspace({ members: 20, channels: 2, messages: 95 });
    const src = w.channels[1].messages;
    for (let i = 0; i < src.count; i++) {
      expect(src.locate(src.at(i).ts)).toEqual({ parent: i, reply: -1 });
      src.replies(i).forEach((r, j) => expect(src.locate(r.ts)).toEqual({ parent: i, reply: j }));
    }
    expect(src.locate('1700000001.999999')).toBeUndefined();
  });

  it('serves a generated channel page by page through WebClient, 15 per page in marketplace mode', async () => {
    const workspace = generateWorkspace({ members: 300, channels: 3, messages: 2_000, seed: 7 });
    const channel = workspace.channels[0];
    const emu = await startSlackEmulator({ workspace });
    try {
      const client = new WebClient(emu.botToken, { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } });
      const ts: string[] = [];
      for await (const page of client.paginate('conversations.history', { channel: channel.channel.id, limit: 200 })) {
        ts.push(...((page as { messages?: Array<{ ts: string }> }).messages ?? []).map((m) => m.ts));
      }
      expect(ts).toHaveLength(channel.messages.count);
      expect(new Set(ts).size).toBe(ts.length);
      expect(ts[ts.length - 1]).toBe(channel.messages.at(0).ts);
      const users = await client.users.list({ limit: 1000 });
      expect(users.members).toHaveLength(301);
      await expect(client.conversations.history({ channel: workspace.channels[1].channel.id })).rejects.toMatchObject({
        data: { error: 'not_in_channel' },
      });
    } finally {
      await emu.close();
    }
    const market = await startSlackEmulator({ workspace, rateLimits: 'marketplace' });
    try {
      const client = new WebClient(market.botToken, { slackApiUrl: market.apiUrl, retryConfig: { retries: 0 } });
      const page = await client.conversations.history({ channel: channel.channel.id, limit: 200 });
      expect(page.messages).toHaveLength(15);
      expect(page.has_more).toBe(true);
    } finally {
      await market.close();
    }
  });

  it('keeps a 50,000-member, 1,000,000-message workspace small in memory', () => {
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    const w = generateWorkspace({ members: 50_000, channels: 300, messages: 1_000_000 });
    const state = new WorkspaceState(w);
    const first = state.channels.get(w.channels[0].channel.id)!;
    const page = first.history({ limit: 999, inclusive: false });
    expect(page.messages).toHaveLength(999);
    expect(page.hasMore).toBe(true);
    const grown = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
    // The user id index is the only thing built up front (~50,000 short strings).
    expect(grown).toBeLessThan(60);
    expect(state.userCount).toBe(50_001);
  });
});
