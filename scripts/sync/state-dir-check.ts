import type { CheckItem } from './ops/check';
import { inspectStateDir } from './state-dir';

/**
 * The `check` item for the state directory: it fails when other users can read the directory or a
 * file in it (the store holds every member's name and e-mail), and says how to fix it.
 */
export function stateDirCheck(stateDir: string): CheckItem {
  const loose = inspectStateDir(stateDir);
  const label = 'State directory private';
  if (loose.length === 0) {
    return { id: 'state-dir', label, status: 'pass', blocking: true, detail: `Only you can read ${stateDir}.` };
  }
  const modes = loose.map((e) => `${e.path} (${e.mode.toString(8).padStart(4, '0')})`).join(', ');
  return {
    id: 'state-dir',
    label,
    status: 'fail',
    blocking: true,
    detail: `Other users on this host can read the state directory, which holds members' names and e-mails: ${modes}.`,
    fix:
      `Run \`chmod 700 ${stateDir} && chmod 600 ${stateDir}/*\`, or run any tightknit-sync command that ` +
      'writes to it (the sync tightens it on start).',
  };
}
