import type { SlackReadSummary } from '../sources/slack/web-api';

/** What one catch-up did: events applied from the inbox, and the Web API read (poll or first import). */
export interface SourceCatchUp {
  source: 'slack';
  workspace: string;
  eventsApplied: number;
  ignoredEvents: Record<string, number>;
  read: SlackReadSummary | null;
  /** The read stopped at its time budget; the next catch-up continues where it stopped. */
  readIncomplete: boolean;
  /** Events are configured but no receiver is running, so this catch-up read the Web API instead. */
  receiverMissing: boolean;
  durationMs: number;
}

/** One line for logs and the CLI: what a catch-up brought in. */
export function formatCatchUp(c: SourceCatchUp): string {
  const parts = [`${c.eventsApplied} event(s) applied`];
  if (c.read) {
    parts.push(
      `${c.read.activities.new} new and ${c.read.activities.changed} changed activities from ${c.read.channels} channel(s) in ${c.read.calls} Web API call(s)`,
    );
    if (c.read.channelsSkipped.length > 0)
      parts.push(`skipped: ${c.read.channelsSkipped.map((s) => `#${s.name} (${s.reason})`).join(', ')}`);
  }
  if (c.receiverMissing) parts.push('no event receiver is running, so the Web API was read instead');
  if (c.readIncomplete) parts.push('the Web API read continues at the next run (time budget reached)');
  return `Slack ${c.workspace}: ${parts.join('; ')} (${(c.durationMs / 1000).toFixed(1)} s).`;
}
