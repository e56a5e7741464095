import {
  type KeyOptions,
  loadConfig,
  matchRulesOf,
  previewConfig,
  rulesText,
  type SyncConfig,
  TightknitError,
  updateConfig,
  validateMatchRules,
} from '../../sync';
import type { ConfigView, FieldError } from '../contract';
import { HttpError, invalid } from './http';

/** The configuration as the console shows it: as stored, plus the match rules in force. */
export function configView(config: SyncConfig): ConfigView {
  return { ...config, matchRulesInForce: matchRulesOf(config).map((r) => r.label) };
}

/**
 * With configured rules, the older matchingField/matchLeads no longer decide anything: a change to them
 * alone would be saved and ignored, so it is refused (as `configure` does) and the rules field named.
 */
function ignoredMatchingOptions(before: SyncConfig, changes: Record<string, unknown>): FieldError[] {
  if (!before.matchRules || 'matchRules' in changes) return [];
  const reason = `does not apply while the configuration matches with rules (${rulesText(before)}); change matchRules instead`;
  return (['matchingField', 'matchLeads'] as const)
    .filter((k) => k in changes && changes[k] !== before[k])
    .map((field) => ({ field, reason }));
}

/**
 * PUT /api/config: merges, validates (400 with each bad field, nothing saved) and writes. When the match
 * rules change and an org is connected, the org is asked first whether it can use them (every field
 * exists and is readable); its refusal is reported on the `matchRules` field and nothing is saved.
 */
export async function saveConfig(
  stateDir: string,
  changes: Record<string, unknown>,
  key?: Omit<KeyOptions, 'stateDir'>,
): Promise<ConfigView> {
  const before = loadConfig(stateDir);
  const ignored = ignoredMatchingOptions(before, changes);
  if (ignored.length > 0) throw invalid(ignored);
  const next = previewConfig(stateDir, changes);
  if (rulesText(next) !== rulesText(before)) {
    try {
      await validateMatchRules(stateDir, next, key);
    } catch (err) {
      if (!(err instanceof TightknitError) || err.code !== 'INVALID_MATCH_RULES') throw err;
      throw new HttpError(400, err.code, err.message, err.actions, [{ field: 'matchRules', reason: err.message }]);
    }
  }
  return configView(updateConfig(stateDir, changes));
}
