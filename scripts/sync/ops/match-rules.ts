import { matchRulesOf, type SyncConfig } from '../config';
import { hasCredentials } from '../connection/credential-store';
import type { KeyOptions } from '../connection/encryption';
import { openConnection } from '../connection/open';
import { UsageError } from '../errors';
import { ruleChecks, type CheckItem } from './check';

// The match rules at configure time (shown, and checked against the org's describe before saving);
// push/match-rules.ts applies them to members during a run.

/** The rules as written ("Contact.Email, Lead.Email"), for comparing and showing. */
export function rulesText(config: Pick<SyncConfig, 'matchRules' | 'matchingField' | 'matchLeads'>): string {
  return matchRulesOf(config)
    .map((r) => r.label)
    .join(', ');
}

/**
 * Checks the match rules of a configuration against the connected org before it is saved: every field
 * must exist, be readable by the integration user and hold e-mail addresses or text. Returns 'not-connected'
 * when there is no org to ask (`check` and the next run validate then); throws INVALID_MATCH_RULES otherwise.
 * `key` says where the credentials' key is when not the default (the console and tests pass theirs).
 */
export async function validateMatchRules(
  stateDir: string,
  config: SyncConfig,
  key?: Omit<KeyOptions, 'stateDir'>,
): Promise<'org' | 'not-connected'> {
  if (!hasCredentials(stateDir)) return 'not-connected';
  const opened = await openConnection({ stateDir, ...key });
  const items: CheckItem[] = [];
  for (const object of ['Contact', 'Lead'] as const) {
    if (!matchRulesOf(config).some((r) => r.object === object)) continue;
    let describe;
    try {
      describe = await opened.connection.describe(object);
    } catch (err) {
      throw new UsageError(
        'INVALID_MATCH_RULES',
        `The integration user cannot read ${object}, which the match rules use: ${(err as Error).message}`,
        {
          actions: [
            `Grant Read on ${object} in a permission set of your own, or drop the ${object} rules. Nothing was saved.`,
          ],
        },
      );
    }
    items.push(...ruleChecks(describe, config, object));
  }
  const failed = items.filter((i) => i.status === 'fail');
  if (failed.length > 0) {
    throw new UsageError(
      'INVALID_MATCH_RULES',
      `Match rule(s) the org cannot use:\n  ${failed.map((f) => f.detail).join('\n  ')}`,
      {
        actions: [...new Set(failed.map((f) => f.fix ?? '').filter(Boolean)), 'Nothing was saved.'],
      },
    );
  }
  return 'org';
}
