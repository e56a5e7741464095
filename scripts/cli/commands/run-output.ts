import type { RunSummary } from '../../sync';

export type Kind = 'community' | 'member' | 'activity';
const KINDS: Kind[] = ['community', 'member', 'activity'];
export const LABEL: Record<Kind, string> = { community: 'Communities', member: 'Members    ', activity: 'Activities ' };

/** One line per object: processed, succeeded, failed, held back. */
export function formatRun(s: RunSummary): string {
  const secs = ((new Date(s.finishedAt).getTime() - new Date(s.startedAt).getTime()) / 1000).toFixed(1);
  const lines = [
    `Run #${s.runId} (${s.type}) ${s.status} in ${secs} s, ${s.apiCalls} API calls${s.message ? ` — ${s.message}` : ''}`,
  ];
  for (const kind of KINDS) {
    const c = s.objects[kind];
    if (!c) continue;
    const extra = [
      c.failed ? `${c.failed} failed` : '',
      c.heldBack ? `${c.heldBack} held back` : '',
      c.deleted ? `${c.deleted} deleted` : '',
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`  ${LABEL[kind]} ${c.succeeded}/${c.processed} succeeded${extra ? ` (${extra})` : ''}`);
  }
  if (s.status === 'Failed' || s.status === 'PartiallyFailed') {
    lines.push(
      `  → See why: tightknit-sync investigate ${s.runId}; after fixing the cause: tightknit-sync retry ${s.runId}`,
    );
  }
  return lines.join('\n');
}

/** First Ctrl-C / SIGTERM: finish the current step and stop. Second: leave at once. */
export function stopOnSignals(onFirst: (signal: string) => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = (sig: NodeJS.Signals): void => {
    if (controller.signal.aborted) process.exit(130);
    onFirst(sig);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
