import type { RunStatus } from '../../../sync/ledger';
import { PgStore } from '../../store';
import type { TenantPassInput, TenantPassResult, TenantPassRunner } from '../runner';

/** How a test runner behaves: how long a pass takes, and optionally a failure it throws. */
export interface LedgerRunnerOptions {
  holdMs: number;
  /** Thrown instead of finishing (after recording the run as Failed). */
  failWith?: string;
  /** A pass that does not stop when its signal aborts (the drain must give its job back all the same). */
  ignoreSignal?: boolean;
  /** Called with each pass's input before it records anything (a test logs or inspects there). */
  onStart?: (input: TenantPassInput) => void;
}

/**
 * A pass that does real database work in the tenant's PgStore: starts a ledger run, counts 3 members
 * pushed, holds for `holdMs` (or until its signal aborts), and finishes the run Succeeded, or Stopped
 * when aborted.
 */
export function ledgerRunner(opts: LedgerRunnerOptions): TenantPassRunner {
  return {
    run: async (input): Promise<TenantPassResult> => {
      opts.onStart?.(input);
      const store = PgStore.open(input.pool, input.tenant.id, input.tenant.name);
      const runId = await store.ledger.startRun(input.request.type, input.request.retryOf ?? null);
      input.log.info({ run: runId }, 'test pass started');
      await store.ledger.addCounts(runId, 'member', { processed: 3, succeeded: 3 });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, opts.holdMs);
        if (opts.ignoreSignal) return;
        input.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (opts.failWith) {
        await store.ledger.finishRun(runId, 'Failed', null, 0);
        throw new Error(opts.failWith);
      }
      const status: RunStatus = input.signal.aborted ? 'Stopped' : 'Succeeded';
      await store.ledger.finishRun(runId, status, null, 1);
      return { runId, status, counts: { member: { ...(await store.ledger.runCounts(runId)).member } } };
    },
  };
}
