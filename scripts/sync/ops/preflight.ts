import type { SyncConfig } from '../config';
import { openConnection, type OpenedConnection } from '../connection/open';
import type { KeyOptions } from '../connection/encryption';
import { OrgRefusedError } from '../errors';
import { runChecks, type CheckReport } from './check';
import { verifyPackage, type VerifyResult } from './verify';

export interface PreflightOptions {
  stateDir: string;
  config: SyncConfig;
  key?: Omit<KeyOptions, 'stateDir'>;
  /** Start even when a blocking check fails (not recommended). */
  skipChecks?: boolean;
  /** Called with each result before it can stop the start, so a front end can show it. */
  onVerify?: (result: VerifyResult) => void;
  onChecks?: (report: CheckReport) => void;
}

export interface Preflight {
  opened: OpenedConnection;
  verified: VerifyResult;
  report: CheckReport;
}

function packageNotReady(v: VerifyResult): OrgRefusedError {
  return new OrgRefusedError('PACKAGE_NOT_READY', v.problems.map((p) => p.message).join(' '), {
    actions: [...new Set(v.problems.map((p) => p.fix))],
  });
}

export function checksFailed(r: CheckReport): OrgRefusedError {
  const failed = r.checks.filter((c) => c.blocking && c.status === 'fail');
  return new OrgRefusedError(
    'CHECKS_FAILED',
    `${failed.length} blocking check(s) failed: ${failed.map((c) => c.label).join('; ')}.`,
    { actions: failed.map((c) => c.fix ?? c.detail) },
  );
}

/**
 * What every front end does before starting scheduled syncs: open the stored connection, verify the
 * package, run the connection test. Throws PACKAGE_NOT_READY, or CHECKS_FAILED unless skipChecks.
 */
export async function preflight(opts: PreflightOptions): Promise<Preflight> {
  const opened = await openConnection({ stateDir: opts.stateDir, ...opts.key });
  const verified = await verifyPackage({ connection: opened.connection });
  opts.onVerify?.(verified);
  if (!verified.ok) throw packageNotReady(verified);
  const report = await runChecks({ connection: opened.connection, config: opts.config });
  opts.onChecks?.(report);
  if (!report.ok && !opts.skipChecks) throw checksFailed(report);
  return { opened, verified, report };
}
