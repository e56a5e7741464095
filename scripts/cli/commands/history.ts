import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { type AsyncStore, openAsyncStore, recentHistory, type RunListItem, STORE_FILE, UsageError } from '../../sync';
import { GlobalOptions, printResult } from '../output';
import { withStateLocation } from '../server-mode';
import { openLocationStore } from '../state';

/** Plain-text table: a header row, a rule, the rows; columns padded to their widest cell. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** `ok/failed/held` per object, e.g. `120/2/5`. */
function counts(run: RunListItem, object: keyof RunListItem['objects']): string {
  const c = run.objects[object];
  const parts = [`${c.succeeded + c.deleted}`, `${c.failed}`, `${c.heldBack}`];
  return c.processed === 0 && c.heldBack === 0 ? '-' : parts.join('/');
}

/** Opens the state directory's store for reading the history; refuses when there is none yet. */
export function openHistoryStore(stateDir: string): AsyncStore {
  if (!existsSync(join(stateDir, STORE_FILE))) {
    throw new UsageError('NO_HISTORY', `There is no sync history in ${stateDir} yet.`, {
      actions: ['Ingest a source and run `tightknit-sync sync` first, or pass the right --state-dir.'],
    });
  }
  return openAsyncStore({ stateDir });
}

export function register(program: Command): void {
  program
    .command('history')
    .description('recent runs: type, status, duration, records per object (ok/failed/held back)')
    .option('-n, --limit <n>', 'how many runs', '20')
    .action(async (flags: { limit: string }, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) {
        throw new UsageError('INVALID_LIMIT', `--limit must be a positive whole number, not "${flags.limit}".`);
      }
      await withStateLocation(cmd, async (where) => {
        const store = openLocationStore(where, openHistoryStore);
        try {
          const history = await recentHistory(store, limit);
          const { runs, waiting, events } = history;
          printResult(opts, history, () => {
            if (runs.length === 0) return 'No runs yet.';
            const rows = runs.map((r) => [
              String(r.runId),
              r.type + (r.retryOf ? ` of ${r.retryOf}` : ''),
              r.status,
              r.startedAt.replace('T', ' ').slice(0, 19),
              formatDuration(r.durationMs),
              counts(r, 'community'),
              counts(r, 'member'),
              counts(r, 'activity'),
              String(r.apiCalls),
            ]);
            const out = [
              table(
                ['run', 'type', 'status', 'started (UTC)', 'took', 'communities', 'members', 'activities', 'API calls'],
                rows,
              ),
            ];
            out.push('Counts are succeeded/failed/held back. Details: tightknit-sync investigate <run>.');
            for (const w of waiting) out.push(`Waiting: ${w.count} ${w.object} record(s) — ${w.reason}.`);
            for (const e of events) out.push(`${e.at.replace('T', ' ').slice(0, 19)}  ${e.type}: ${e.message}`);
            return out.join('\n');
          });
        } finally {
          await store.close();
        }
      });
    });
}
