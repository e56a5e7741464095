import type { Command } from 'commander';
import { investigateRun, type Investigation, OBJECT_KINDS, UsageError } from '../../sync';
import { GlobalOptions, printResult } from '../output';
import { withStateLocation } from '../server-mode';
import { openLocationStore } from '../state';
import { formatDuration, openHistoryStore, table } from './history';

function render(inv: Investigation): string {
  const r = inv.run;
  const out: string[] = [
    `Run ${r.runId} (${r.type}${r.retryOf ? ` of run ${r.retryOf}` : ''}): ${r.status}, ${formatDuration(r.durationMs)}, ${r.apiCalls} API calls`,
  ];
  if (r.message) out.push(r.message);
  out.push('');
  const objectRows = OBJECT_KINDS.map((o) => {
    const c = r.objects[o];
    return [
      o,
      String(c.processed),
      String(c.succeeded),
      String(c.failed),
      String(c.heldBack),
      String(c.deleted),
      String(c.truncated),
    ];
  });
  out.push(table(['object', 'processed', 'succeeded', 'failed', 'held back', 'deleted', 'truncated'], objectRows));
  const jobs = OBJECT_KINDS.flatMap((o) => inv.jobs[o]);
  if (jobs.length > 0) {
    out.push('', 'Jobs:');
    out.push(
      table(
        ['object', 'operation', 'path', 'Salesforce job', 'state', 'records', 'processed', 'failed', 'polls', 'took'],
        jobs.map((j) => [
          j.object,
          j.purpose === 'push' ? j.operation : `${j.operation} (${j.purpose})`,
          j.path,
          j.salesforceJobId ?? '-',
          j.state,
          String(j.records),
          j.processed === null ? '-' : String(j.processed),
          j.failed === null ? '-' : String(j.failed),
          String(j.polls),
          formatDuration(j.finishedAt ? Date.parse(j.finishedAt) - Date.parse(j.createdAt) : null),
        ]),
      ),
    );
    for (const j of jobs) if (j.errorMessage) out.push(`  ${j.salesforceJobId ?? j.object}: ${j.errorMessage}`);
  }
  if (inv.errors.length > 0) {
    out.push('', 'Failed records by error:');
    for (const g of inv.errors) {
      const fixed = g.resolved > 0 ? ` (${g.resolved} fixed since)` : '';
      out.push(
        `- ${g.object} ${g.code}: ${g.count} record(s)${fixed}`,
        `    e.g. ${g.records[0]?.externalId ?? ''}: ${g.message}`,
      );
      if (g.hint) out.push(`    Cause: ${g.hint.cause}`, `    Fix:   ${g.hint.fix}`);
    }
    out.push('', `After fixing the cause: tightknit-sync retry ${r.runId}`);
  }
  if (inv.heldBack.length > 0) {
    out.push('', 'Held back (sent automatically once their parent exists):');
    for (const h of inv.heldBack)
      out.push(`- ${h.count} ${h.object} record(s): ${h.reason}; e.g. ${h.sample.slice(0, 3).join(', ')}`);
  }
  const notes = inv.events.filter((e) => e.hint || e.type !== 'resumed-job');
  if (notes.length > 0) {
    out.push('', 'Notes:');
    for (const e of notes) {
      out.push(`- ${e.type}${e.code ? ` ${e.code}` : ''}: ${e.message}`);
      if (e.hint) out.push(`    Fix: ${e.hint.fix}`);
    }
  }
  return out.join('\n');
}

export function register(program: Command): void {
  program
    .command('investigate')
    .description('one run in detail: Bulk jobs per object, failed records grouped by error with cause and fix')
    .argument('<run-id>', 'the run number shown by `history`')
    .action(async (runIdText: string, _flags: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<GlobalOptions>();
      if (!/^\d+$/.test(runIdText)) {
        throw new UsageError('INVALID_RUN_ID', `"${runIdText}" is not a run number.`, {
          actions: ['See the run numbers with `tightknit-sync history`.'],
        });
      }
      await withStateLocation(cmd, async (where) => {
        const store = openLocationStore(where, openHistoryStore);
        try {
          const inv = await investigateRun(store, Number(runIdText));
          printResult(opts, inv, () => render(inv));
        } finally {
          await store.close();
        }
      });
    });
}
