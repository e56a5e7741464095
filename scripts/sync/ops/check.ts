import { SObjects } from '../../generated/sobjects';
import { matchRulesOf, type SyncConfig } from '../config';
import type { CheckItem, CheckReport } from '../domain';
import { clientFor, type OrgLimit, type SalesforceApi, type SalesforceTarget } from '../salesforce/client';
import { stateDirCheck } from '../state-dir-check';
import { fieldSecurityChecks } from './check-fls';

// The report's shapes are the core's leaf's (domain.ts), which the console's contract shares.
export type { CheckItem, CheckReport } from '../domain';

export interface CheckOptions {
  /** The one Salesforce client (what openConnection gives), or a session to make one for. */
  connection: SalesforceTarget;
  config: SyncConfig;
  /** The state directory to check for access by other users (none: not checked). */
  stateDir?: string;
  onCheck?: (item: CheckItem) => void;
}

type Limit = OrgLimit;

interface DescribeLite {
  queryable?: boolean;
  createable?: boolean;
  fields: { name: string; type?: string; filterable?: boolean; updateable?: boolean; createable?: boolean }[];
}

/**
 * One check per match rule of `object`: the field exists, the integration user can read it, and it holds
 * e-mail addresses or text. The first Contact rule keeps the id `matching-field`.
 */
export function ruleChecks(describe: DescribeLite, config: SyncConfig, object: 'Contact' | 'Lead'): CheckItem[] {
  const all = matchRulesOf(config);
  return all
    .filter((r) => r.object === object)
    .map((rule, i) => {
      const n = all.indexOf(rule) + 1;
      const field = describe.fields.find((f) => f.name.toLowerCase() === rule.field.toLowerCase());
      const kindOk = !!field && (field.type === undefined || ['email', 'string'].includes(field.type));
      const detail = !field
        ? `${rule.label} does not exist or is not readable by the integration user: members wait for their links while it is missing.`
        : kindOk
          ? `Rule ${n}: members are matched on ${object}.${field.name}.`
          : `${rule.label} is a ${field.type} field; only e-mail and text fields can be matched.`;
      return {
        id: object === 'Contact' && i === 0 ? 'matching-field' : `match-rule-${n}`,
        label: `Match rule ${n}: ${rule.label}`,
        status: field && kindOk ? 'pass' : 'fail',
        blocking: true,
        detail,
        fix: !field
          ? `Grant Read on ${rule.label} (field-level security) in a permission set of your own, or change the rules: \`tightknit-sync configure --match-rule\`.`
          : kindOk
            ? undefined
            : 'Pick an e-mail or text field: `tightknit-sync configure --match-rule Contact.Email`.',
      } satisfies CheckItem;
    });
}

const LIMITS_FIX =
  'Wait for the rolling 24-hour window to free requests, raise the sync interval, or ask Salesforce for a higher allocation.';

const OWN_PERMISSION_SET =
  'The package cannot grant access to standard objects: create a permission set of your own (e.g. "Tightknit Sync Extras") and assign it to the integration user.';

function errorCode(err: unknown): string {
  const e = err as { code?: string; name?: string };
  return e.code ?? e.name ?? 'ERROR';
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The connection test, run as the connected (integration) user. Every failed check says how to fix it.
 * Core function: the CLI renders the items; `start` refuses to run while a blocking one fails.
 */
export async function runChecks(opts: CheckOptions): Promise<CheckReport> {
  const conn = clientFor(opts.connection);
  const { config } = opts;
  const checks: CheckItem[] = [];
  const add = (item: CheckItem): void => {
    checks.push(item);
    opts.onCheck?.(item);
  };
  if (opts.stateDir !== undefined) add(stateDirCheck(opts.stateDir));

  // 1. API access (and the limits, read in the same call).
  let limits: Record<string, Limit> | undefined;
  try {
    limits = await conn.request<Record<string, Limit>>('/limits');
    add({
      id: 'api-access',
      label: 'API access',
      status: 'pass',
      blocking: true,
      detail: 'The user can call the REST API.',
    });
  } catch (err) {
    const limited = errorCode(err) === 'REQUEST_LIMIT_EXCEEDED';
    add({
      id: 'api-access',
      label: 'API access',
      status: 'fail',
      blocking: true,
      detail: limited
        ? 'The org refuses API calls: the daily API request limit is used up (REQUEST_LIMIT_EXCEEDED).'
        : `The org refused an API call (${errorCode(err)}: ${message(err)}).`,
      fix: limited
        ? LIMITS_FIX
        : `Enable "API Enabled" for the integration user in a permission set of your own (the package cannot grant user permissions), and check the org edition allows API access. ${OWN_PERMISSION_SET}`,
    });
    for (const id of ['identity', 'contact-read', 'fls', 'modify-all', 'lead-read', 'license', 'limits']) {
      add({ id, label: id, status: 'skip', blocking: false, detail: 'Skipped: no API access.' });
    }
    return { ok: false, checks };
  }

  // Who is connected.
  let userId: string | undefined;
  let username: string | undefined;
  try {
    const info = await conn.request<{ user_id?: string; preferred_username?: string }>('/services/oauth2/userinfo');
    userId = info.user_id;
    username = info.preferred_username;
  } catch {
    // The remaining checks still run; license and Modify All need the id and report a skip.
  }

  // 2. Contact: Read (and Create when Create Contacts is on), the matching field readable.
  for (const item of await contactChecks(conn, config)) add(item);

  // 3. Field-level security on every field the sync writes; Member__c.Contact__c by name.
  for (const item of await fieldSecurityChecks(conn)) add(item);

  // 4. Modify All on the three objects.
  add(await modifyAllCheck(conn, userId));

  // 5. Lead read, and the Lead rules' fields, when a rule matches on Lead.
  if (matchRulesOf(config).some((r) => r.object === 'Lead'))
    for (const item of await leadChecks(conn, config)) add(item);

  // 6. The user's license.
  add(await licenseCheck(conn, userId));

  // 7. Remaining daily API requests and Bulk allocation.
  add(limitsCheck(limits));

  return { ok: !checks.some((c) => c.blocking && c.status === 'fail'), username, checks };
}

/** Read on Contact, the Contact match rules' fields, and Create on Contact when Create Contacts is on. */
async function contactChecks(conn: SalesforceApi, config: SyncConfig): Promise<CheckItem[]> {
  const checks: CheckItem[] = [];
  const add = (item: CheckItem): void => {
    checks.push(item);
  };
  let contact: DescribeLite | undefined;
  try {
    contact = await conn.describe('Contact');
  } catch {
    contact = undefined;
  }
  if (!contact || contact.queryable === false) {
    add({
      id: 'contact-read',
      label: 'Read on Contact',
      status: 'fail',
      blocking: true,
      detail:
        'The integration user cannot read Contact, so members cannot be matched and Member__c.Contact__c cannot be set.',
      fix: `Grant Read on Contact. ${OWN_PERMISSION_SET}`,
    });
  } else {
    add({
      id: 'contact-read',
      label: 'Read on Contact',
      status: 'pass',
      blocking: true,
      detail: 'Contact is readable.',
    });
    for (const item of ruleChecks(contact, config, 'Contact')) add(item);
    if (config.createContacts) {
      add({
        id: 'contact-create',
        label: 'Create on Contact (Create Contacts is on)',
        status: contact.createable ? 'pass' : 'fail',
        blocking: true,
        detail: contact.createable
          ? 'The integration user can create Contacts.'
          : 'Create Contacts is on, but the integration user cannot create Contacts.',
        fix: contact.createable
          ? undefined
          : `Grant Create on Contact, or turn the option off: tightknit-sync configure --no-create-contacts. ${OWN_PERMISSION_SET}`,
      });
    }
  }
  return checks;
}

/** Read on Lead and the Lead match rules' fields (called when a rule matches on Lead). */
async function leadChecks(conn: SalesforceApi, config: SyncConfig): Promise<CheckItem[]> {
  const checks: CheckItem[] = [];
  const add = (item: CheckItem): void => {
    checks.push(item);
  };
  let lead: DescribeLite | undefined;
  try {
    lead = await conn.describe('Lead');
  } catch {
    lead = undefined;
  }
  const ok = lead !== undefined && lead.queryable !== false;
  add({
    id: 'lead-read',
    label: 'Read on Lead (Lead matching is on)',
    status: ok ? 'pass' : 'fail',
    blocking: true,
    detail: ok ? 'Lead is readable.' : 'Lead matching is on, but the integration user cannot read Lead.',
    fix: ok ? undefined : `Grant Read on Lead, or turn Lead matching off in the configuration. ${OWN_PERMISSION_SET}`,
  });
  if (lead && ok) for (const item of ruleChecks(lead, config, 'Lead')) add(item);
  return checks;
}

function soqlId(id: string): string {
  if (!/^[a-zA-Z0-9]{15,18}$/.test(id)) throw new Error(`not a Salesforce id: ${id}`);
  return `'${id}'`;
}

async function modifyAllCheck(conn: SalesforceApi, userId: string | undefined): Promise<CheckItem> {
  const base = { id: 'modify-all', label: 'Modify All on the three Tightknit objects', blocking: true };
  const fix =
    'Assign the Tightknit Integration User permission set; a hand-made permission set needs View All and Modify All Records on Community__c, Member__c and Activity__c (Bulk upserts otherwise fail with INSUFFICIENT_ACCESS_OR_READONLY).';
  if (!userId) return { ...base, status: 'skip', blocking: false, detail: 'Could not tell which user is connected.' };
  try {
    const psa = await conn.query<{
      PermissionSetId: string;
      PermissionSet?: { Name?: string; NamespacePrefix?: string | null; PermissionsModifyAllData?: boolean };
    }>(
      `SELECT PermissionSetId, PermissionSet.Name, PermissionSet.NamespacePrefix, PermissionSet.PermissionsModifyAllData FROM PermissionSetAssignment WHERE AssigneeId = ${soqlId(userId)}`,
    );
    if (psa.records.some((r) => r.PermissionSet?.PermissionsModifyAllData)) {
      return { ...base, status: 'pass', detail: 'The user has Modify All Data.' };
    }
    const objects: string[] = Object.values(SObjects);
    const ids = psa.records.map((r) => soqlId(r.PermissionSetId));
    let granted: Set<string> | undefined;
    if (ids.length > 0) {
      try {
        const op = await conn.query<{ SobjectType: string; PermissionsModifyAllRecords: boolean }>(
          `SELECT SobjectType, PermissionsModifyAllRecords FROM ObjectPermissions WHERE ParentId IN (${ids.join(', ')}) AND SobjectType IN (${objects.map((o) => `'${o}'`).join(', ')})`,
        );
        granted = new Set(op.records.filter((r) => r.PermissionsModifyAllRecords).map((r) => r.SobjectType));
      } catch {
        // ObjectPermissions not queryable here: fall back to the packaged permission set, which grants Modify All.
        const holds = psa.records.some((r) => r.PermissionSet?.Name === 'Tightknit_Integration_User');
        return holds
          ? {
              ...base,
              status: 'pass',
              detail: 'The user holds Tightknit Integration User, which grants Modify All on the three objects.',
            }
          : {
              ...base,
              status: 'fail',
              detail: 'Could not confirm Modify All: the user does not hold Tightknit Integration User.',
              fix,
            };
      }
    }
    const lacking = objects.filter((o) => !granted?.has(o));
    return lacking.length === 0
      ? { ...base, status: 'pass', detail: 'Modify All Records on Community__c, Member__c and Activity__c.' }
      : { ...base, status: 'fail', detail: `No Modify All Records on ${lacking.join(', ')}.`, fix };
  } catch (err) {
    return {
      ...base,
      status: 'warn',
      blocking: false,
      detail: `Could not read the user's permission sets (${message(err)}).`,
      fix,
    };
  }
}

const INTEGRATION_LICENSES = new Set(['salesforce integration', 'sfdc_integration', 'salesforce_integration']);

async function licenseCheck(conn: SalesforceApi, userId: string | undefined): Promise<CheckItem> {
  const base = { id: 'license', label: "The integration user's license", blocking: false };
  if (!userId) return { ...base, status: 'skip', detail: 'Could not tell which user is connected.' };
  try {
    const res = await conn.query<{ Profile?: { UserLicense?: { Name?: string; LicenseDefinitionKey?: string } } }>(
      `SELECT Profile.UserLicense.Name, Profile.UserLicense.LicenseDefinitionKey FROM User WHERE Id = ${soqlId(userId)}`,
    );
    const lic = res.records[0]?.Profile?.UserLicense;
    const name = lic?.Name ?? 'unknown';
    const apiOnly =
      INTEGRATION_LICENSES.has(name.toLowerCase()) ||
      INTEGRATION_LICENSES.has((lic?.LicenseDefinitionKey ?? '').toLowerCase());
    if (apiOnly) {
      return {
        ...base,
        status: 'warn',
        detail: `License "${name}": API-only. It cannot sign in interactively, and without the "Salesforce API Integration" permission set license it is not entitled to the package's custom objects.`,
        fix: 'Assign the "Salesforce API Integration" permission set license (Setup → Users → the user → Permission Set License Assignments), or move the user to a Salesforce Platform license.',
      };
    }
    return { ...base, status: 'pass', detail: `License "${name}".` };
  } catch (err) {
    return { ...base, status: 'warn', detail: `Could not read the user's license (${message(err)}).` };
  }
}

function limitsCheck(limits: Record<string, Limit> | undefined): CheckItem {
  const base = { id: 'limits', label: 'Daily API requests and Bulk allocation', blocking: true };
  const api = limits?.DailyApiRequests;
  const bulk = limits?.DailyBulkApiBatches;
  if (!api) return { ...base, status: 'warn', blocking: false, detail: 'The org did not report its limits.' };
  const parts = [
    `API requests ${api.Remaining.toLocaleString('en-US')} of ${api.Max.toLocaleString('en-US')} left today`,
  ];
  if (bulk) parts.push(`Bulk batches ${bulk.Remaining.toLocaleString('en-US')} of ${bulk.Max.toLocaleString('en-US')}`);
  const exhausted = api.Remaining < 50 || (bulk !== undefined && bulk.Remaining < 10);
  const low = api.Remaining < api.Max * 0.1 || (bulk !== undefined && bulk.Remaining < bulk.Max * 0.1);
  return {
    ...base,
    status: exhausted ? 'fail' : low ? 'warn' : 'pass',
    detail: `${parts.join('; ')}.`,
    fix: exhausted || low ? LIMITS_FIX : undefined,
  };
}
