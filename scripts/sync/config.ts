import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { SLACK_EVENT_MODES } from './domain';
import { EngagementConfigSchema } from './engagement';
import { InvalidConfigError, UsageError, type ConfigIssue } from './errors';
import { writeJsonFile } from './json-file';
import { ensurePrivateDir, privateFileMode } from './state-dir';

/**
 * The live Slack source (docs/sources.md "Live Slack source"): how new activity arrives between runs.
 * `events`: 'off' = every run polls the Web API (active channels); 'http' = the Events API, received by
 * `listen` (or by `start` itself when `listenPort` is set); 'socket-mode' = the Events API over Socket
 * Mode, received by `start` (or `listen --socket-mode`).
 */
const SlackSourceSchema = z
  .object({
    events: z.enum(SLACK_EVENT_MODES).default('off'),
    listenPort: z.number().int('must be a whole port number').min(0).max(65535).nullable().default(null),
    listenHost: z.string().min(1).default('127.0.0.1'),
    includePrivate: z.boolean().default(false),
  })
  .strict();

/** The sync's options (design.md "Options"), stored as config.json in the state directory. */
export const SyncConfigSchema = z
  .object({
    createContacts: z.boolean().default(false),
    activityMetadata: z.boolean().default(false),
    matchingField: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, 'must be a Contact field API name such as Email or Work_Email__c')
      .default('Email'),
    matchLeads: z.boolean().default(true),
    /**
     * Ordered match rules ("Contact.Email", "Contact.Work_Email__c", "Lead.Email"): the first rule that finds a
     * person wins. When absent, the rules are Contact.<matchingField>, then Lead.Email when matchLeads is on.
     */
    matchRules: z
      .array(
        z
          .string()
          .regex(
            /^(Contact|Lead)\.[A-Za-z][A-Za-z0-9_]{0,79}$/,
            'must be Contact.<field> or Lead.<field>, e.g. Contact.Email or Contact.Work_Email__c',
          ),
      )
      .min(1, 'needs at least one rule')
      .max(5, 'takes at most 5 rules')
      .refine((rules) => new Set(rules.map((r) => r.toLowerCase())).size === rules.length, 'lists a rule twice')
      .refine(
        (rules) =>
          rules.every((r, i) => r.startsWith('Lead.') || !rules.slice(0, i).some((p) => p.startsWith('Lead.'))),
        'lists a Contact rule after a Lead rule; Contact rules come first (a Lead is linked only when no Contact matches)',
      )
      .optional(),
    intervalMinutes: z.number().int('must be a whole number of minutes').min(1).max(1440).default(5),
    engagement: EngagementConfigSchema.prefault({}),
    slack: SlackSourceSchema.prefault({}),
  })
  .strict();

export type SyncConfig = z.output<typeof SyncConfigSchema>;

/** One match rule: look the member's e-mail up in this field of Contact or Lead. */
export interface MatchRule {
  object: 'Contact' | 'Lead';
  field: string;
  /** "Contact.Email": how the rule is written in the configuration and recorded on the member. */
  label: string;
}

/** The rules in force, in order: the configured list, else the matching field and Lead.Email (when Lead matching is on). */
export function matchRulesOf(config: Pick<SyncConfig, 'matchRules' | 'matchingField' | 'matchLeads'>): MatchRule[] {
  const labels = config.matchRules ?? [`Contact.${config.matchingField}`, ...(config.matchLeads ? ['Lead.Email'] : [])];
  return labels.map((label) => {
    const [object, field] = label.split('.') as ['Contact' | 'Lead', string];
    return { object, field, label };
  });
}
export type SyncConfigInput = z.input<typeof SyncConfigSchema>;

function configPath(stateDir: string): string {
  return join(stateDir, 'config.json');
}

/** Validates raw options and turns zod issues into one readable error naming each bad value. */
export function parseConfig(raw: unknown, source: string): SyncConfig {
  const result = SyncConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.flatMap((i): ConfigIssue[] => {
    const at = i.path.map(String);
    // An unknown key is reported on its parent; name the key itself.
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((k) => ({ path: [...at, k].join('.'), message: 'is not a configuration option' }));
    }
    return [{ path: at.join('.') || '(root)', message: i.message }];
  });
  const problems = issues.map((i) => `${i.path}: ${i.message}`);
  throw new InvalidConfigError(`Invalid configuration in ${source}:\n  ${problems.join('\n  ')}`, issues);
}

/** Reads the config file of a state directory; defaults when there is none. */
export function loadConfig(stateDir: string): SyncConfig {
  const file = configPath(stateDir);
  if (!existsSync(file)) return parseConfig({}, file);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError('CONFIG_NOT_JSON', `${file} is not valid JSON: ${(err as Error).message}`, {
      actions: [`Fix or delete ${file}, then run \`tightknit-sync configure\`.`],
      cause: err,
    });
  }
  return parseConfig(raw, file);
}

/** The stored config with changes merged in and validated, not written. */
export function previewConfig(stateDir: string, changes: SyncConfigInput): SyncConfig {
  return mergeConfig(loadConfig(stateDir), changes);
}

/** `current` with `changes` merged in (nested weights, thresholds and Slack options key by key), validated. */
export function mergeConfig(current: SyncConfig, changes: SyncConfigInput): SyncConfig {
  return parseConfig(
    {
      ...current,
      ...changes,
      slack: { ...current.slack, ...changes.slack },
      engagement: {
        ...current.engagement,
        ...changes.engagement,
        weights: { ...current.engagement.weights, ...changes.engagement?.weights },
        thresholds: { ...current.engagement.thresholds, ...changes.engagement?.thresholds },
      },
    },
    'the new configuration',
  );
}

/** Merges changes into the stored config, validates the result and writes it atomically. */
export function updateConfig(stateDir: string, changes: SyncConfigInput): SyncConfig {
  const merged = previewConfig(stateDir, changes);
  ensurePrivateDir(stateDir);
  writeJsonFile(configPath(stateDir), merged, { mode: privateFileMode });
  return merged;
}
