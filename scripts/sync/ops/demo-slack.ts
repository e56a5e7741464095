import type { SyncConfig } from '../config';
import type { KeyOptions } from '../connection/encryption';
import { startEventReceiver } from '../sources/slack/events/receiver';
import type { AsyncStore } from '../store';
import { catchUpLiveSource } from './live-source';
import type { SourceCatchUp } from './live-source-summary';
import { connectSlack } from './slack-connect';

/** The parts of a running Slack emulator the demo uses (the CLI passes the real one in). */
export interface DemoSlack {
  apiUrl: string;
  botToken: string;
  signingSecret: string;
  setEventsUrl(url: string | null): void;
  postMessage(m: { channel: string; user: string; text: string; thread_ts?: string }): Promise<{ ts: string }>;
  addReaction(channel: string, ts: string, user: string, name: string): Promise<unknown>;
  close(): Promise<void>;
}

export interface LiveSlackStep {
  workspace: string;
  /** The Web API's first import of the workspace (the export's messages are found already stored). */
  firstImport: SourceCatchUp;
  /** Messages, replies and reactions posted in the emulated workspace. */
  posted: number;
  /** Events the receiver stored (signed, verified). */
  received: number;
  catchUp: SourceCatchUp;
  /** Tightknit ids of the activities the posts became. */
  activityIds: string[];
}

/**
 * The demo's live part: connects the emulated Slack workspace (the one the sample export came from),
 * starts the Events API receiver, has three members post in #general (a message each, a thread reply, a
 * reaction), and brings the store up to date the way a scheduled run does: the Web API's first import
 * (which finds the export's messages already stored) and the received events.
 */
export async function runLiveSlackStep(opts: {
  stateDir: string;
  store: AsyncStore;
  config: SyncConfig;
  keys: Omit<KeyOptions, 'stateDir'>;
  slack: DemoSlack;
  channel: { id: string; name: string };
  authors: Array<{ slackUserId: string; name: string }>;
  now: Date;
}): Promise<LiveSlackStep> {
  const { slack } = opts;
  const connected = await connectSlack({
    stateDir: opts.stateDir,
    ...opts.keys,
    botToken: slack.botToken,
    signingSecret: slack.signingSecret,
    slackApiUrl: slack.apiUrl,
  });
  const receiver = await startEventReceiver({
    store: opts.store,
    signingSecret: slack.signingSecret,
    port: 0,
    host: '127.0.0.1',
  });
  try {
    slack.setEventsUrl(receiver.url);
    // Events arrive: after the first import, no polling.
    const config = { ...opts.config, slack: { ...opts.config.slack, events: 'http' as const } };
    const catchUp = (): Promise<SourceCatchUp | null> =>
      catchUpLiveSource({
        stateDir: opts.stateDir,
        store: opts.store,
        config,
        key: opts.keys,
        now: opts.now,
        slackApiUrl: slack.apiUrl,
      });
    // The first import reads the workspace through the Web API before anyone posts: what comes after
    // can only arrive as events.
    const firstImport = await catchUp();
    if (!firstImport) throw new Error('The Slack workspace was connected but no catch-up ran.');
    if (opts.authors.length === 0) throw new Error('The sample has no member with an e-mail to post as.');
    const posted: string[] = [];
    const [first, second, third] = opts.authors;
    const lines = [
      'Just shipped the new onboarding checklist — feedback welcome! 🚀',
      'Our team cut setup time in half with it. Happy to share notes.',
      'Could we get a session on the roadmap next week?',
    ];
    for (const [i, a] of opts.authors.entries()) {
      const { ts } = await slack.postMessage({ channel: opts.channel.id, user: a.slackUserId, text: lines[i % 3] });
      posted.push(ts);
    }
    const reply = await slack.postMessage({
      channel: opts.channel.id,
      user: (second ?? first).slackUserId,
      text: 'Same here: the checklist saved us a day.',
      thread_ts: posted[0],
    });
    posted.push(reply.ts);
    await slack.addReaction(opts.channel.id, posted[0], (third ?? first).slackUserId, 'tada');
    const count = posted.length + 1;
    // Slack delivers each event once the receiver answers; wait for all of them (a few milliseconds here).
    for (let waited = 0; receiver.stats().stored < count && waited < 5_000; waited += 20)
      await new Promise((r) => setTimeout(r, 20));

    const events = await catchUp();
    if (!events) throw new Error('The Slack workspace was connected but no catch-up ran.');
    const team = connected.info.teamId;
    const activityIds = [
      ...posted.map((ts) => `slack:${team}:${opts.channel.id}:${ts}`),
      `slack:${team}:${opts.channel.id}:${posted[0]}:reaction:tada:${(third ?? first).slackUserId}`,
    ];
    return {
      workspace: connected.info.teamName,
      firstImport,
      posted: count,
      received: receiver.stats().stored,
      catchUp: events,
      activityIds,
    };
  } finally {
    slack.setEventsUrl(null);
    await receiver.close();
  }
}
