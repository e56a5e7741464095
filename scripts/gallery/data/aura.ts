import { query, QueryException, type ApexRecord, type OrgSession } from './soql';

/** What an `AuraHandledException` becomes on the client: `error.body.message` (status 500). */
export class AuraHandledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuraHandledError';
  }
}

/** Largest OFFSET SOQL accepts (TightknitAura.MAX_OFFSET). */
const MAX_OFFSET = 2000;

/** Everything a stand-in controller method needs: the org as the viewing user, and the clock. */
export interface CallContext {
  session: OrgSession;
  /** A session that can describe the org: Apex knows every object's key prefix whatever the user's access. */
  schema: OrgSession;
  now: Date;
}

interface ObjectInfo {
  name: string;
  label: string;
}

const prefixes = new WeakMap<OrgSession, Promise<Map<string, ObjectInfo>>>();

/** Key prefix → object, from the org's describe (what `Id.getSObjectType()` knows in Apex). */
async function objectsByPrefix(session: OrgSession): Promise<Map<string, ObjectInfo>> {
  let found = prefixes.get(session);
  if (!found) {
    found = (async () => {
      const res = await fetch(`${session.instanceUrl}/services/data/v${session.apiVersion ?? '65.0'}/sobjects`, {
        headers: { Authorization: `Bearer ${session.accessToken}` },
      });
      const body = (await res.json()) as {
        sobjects?: Array<{ name: string; label: string; keyPrefix: string | null }>;
      };
      const ns = `${session.namespace}__`;
      return new Map(
        (body.sobjects ?? [])
          .filter((s) => s.keyPrefix)
          .map((s) => [s.keyPrefix as string, { name: s.name.replace(ns, ''), label: s.label }]),
      );
    })();
    prefixes.set(session, found);
  }
  return found;
}

/** The object of an id (`Member__c`, `Contact`, ...), or undefined for an unknown prefix. */
export async function objectOf(ctx: CallContext, recordId: string): Promise<string | undefined> {
  return (await objectsByPrefix(ctx.schema)).get(recordId.slice(0, 3))?.name;
}

/** TightknitAura.requireRecordId: the id must be set and belong to one of the expected objects. */
export async function requireRecordId(ctx: CallContext, recordId: string | null, expected: string[]): Promise<string> {
  if (!recordId) throw new AuraHandledError('No record id was given. Place this component on a record page.');
  const objects = await objectsByPrefix(ctx.schema);
  const actual = objects.get(recordId.slice(0, 3));
  if (!actual || !expected.includes(actual.name)) {
    const labels = expected.map((name) => [...objects.values()].find((o) => o.name === name)?.label ?? name);
    throw new AuraHandledError(
      `This component works on ${labels.join(' or ')} pages, not on ${actual?.label ?? 'unknown'} pages.`,
    );
  }
  return recordId;
}

/** TightknitAura.noAccess: the message a user-mode query refusal becomes. */
function noAccess(cause: QueryException): AuraHandledError {
  return new AuraHandledError(
    'You do not have access to Tightknit community data. Ask your Salesforce admin to assign you the ' +
      `Tightknit Users permission set group. (${cause.message})`,
  );
}

/** Runs a user-mode query; a refusal becomes the controllers' insufficient-access answer, as in Apex. */
export async function userModeQuery(ctx: CallContext, soql: string): Promise<ApexRecord[]> {
  try {
    return await query(ctx.session, soql);
  } catch (e) {
    if (e instanceof QueryException) throw noAccess(e);
    throw e;
  }
}

/** TightknitAura.pageSize: clamps to 1..max; null means the default. */
export function pageSize(requested: number | null, defaultSize: number, maxSize: number): number {
  return requested === null ? defaultSize : Math.max(1, Math.min(requested, maxSize));
}

/** TightknitAura.offset: the SOQL offset of a 1-based page; fails beyond the platform's OFFSET limit. */
export function offset(pageNumber: number | null, size: number): number {
  const page = pageNumber ?? 1;
  if (page < 1) throw new AuraHandledError('The page number must be 1 or more.');
  const result = (page - 1) * size;
  if (result > MAX_OFFSET) {
    throw new AuraHandledError(
      `Only the most recent ${MAX_OFFSET} activities can be paged through here. Use a report for older activity.`,
    );
  }
  return result;
}

/** A text field of a record ('' never: null when absent). */
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
/** A number field of a record (null when absent). */
export const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
/** A related record (`Member__r`), or undefined. */
export const rel = (r: ApexRecord, name: string): ApexRecord | undefined =>
  r[name] && typeof r[name] === 'object' ? (r[name] as ApexRecord) : undefined;
/** Apex Datetime as Aura serializes it: ISO 8601 with milliseconds and Z. */
export const datetime = (v: unknown): string | null => (typeof v === 'string' ? new Date(v).toISOString() : null);
