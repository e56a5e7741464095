import { join } from 'node:path';
import { REPO_ROOT, withNamespace } from '../../metadata/project';
import { children, readMetadataXml, text } from '../../metadata/xml';

/** A record as Apex sees it inside the package: field and relationship names without the namespace. */
export type ApexRecord = Record<string, unknown>;

/** A query the org refused (what a `WITH USER_MODE` query raises as a QueryException in Apex). */
export class QueryException extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'QueryException';
  }
}

/** How the stand-in reaches the org emulator: its URL, the package namespace and a user's access token. */
export interface OrgSession {
  instanceUrl: string;
  namespace: string;
  accessToken: string;
  /** The user the token belongs to (Apex's UserInfo.getUserId()). */
  userId: string;
  apiVersion?: string;
}

/**
 * Writes package names as a subscriber sees them: the Apex inside the package says `Member__c`, every
 * caller outside it (this stand-in included) must say `tightknit__Member__c`.
 */
export function namespaced(soql: string, namespace: string): string {
  return soql.replace(/\b[A-Za-z][A-Za-z0-9_]*__[cr]\b/g, (name) => withNamespace(namespace, name));
}

function stripNamespace(value: unknown, prefix: string): unknown {
  if (Array.isArray(value)) return value.map((v) => stripNamespace(v, prefix));
  if (value === null || typeof value !== 'object') return value;
  const out: ApexRecord = {};
  for (const [key, v] of Object.entries(value as ApexRecord)) {
    if (key === 'attributes') continue;
    out[key.startsWith(prefix) ? key.slice(prefix.length) : key] = stripNamespace(v, prefix);
  }
  return out;
}

/** A SOQL string literal (the emulator's SOQL has no bind variables: Apex's `:x` becomes a quoted value). */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `('a','b')` for an `IN` list; an empty set gives `('')`, which matches nothing, as Apex's empty bind does. */
export function inList(values: Iterable<string>): string {
  const list = [...values].map(quote);
  return `(${list.length ? list.join(',') : "''"})`;
}

interface QueryPage {
  done: boolean;
  nextRecordsUrl?: string;
  records: ApexRecord[];
}

/**
 * Runs a query through the emulator's REST API as the session's user (object and field access apply,
 * as `WITH USER_MODE` does), follows `nextRecordsUrl`, and returns the records with the namespace and
 * the `attributes` stripped. A refusal throws {@link QueryException}.
 */
export async function query(session: OrgSession, soql: string): Promise<ApexRecord[]> {
  const version = session.apiVersion ?? '65.0';
  let url = `${session.instanceUrl}/services/data/v${version}/query?q=${encodeURIComponent(namespaced(soql, session.namespace))}`;
  const records: ApexRecord[] = [];
  for (;;) {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${session.accessToken}` } });
    const body = (await res.json()) as QueryPage | Array<{ errorCode: string; message: string }>;
    if (!res.ok || Array.isArray(body)) {
      const first = Array.isArray(body) ? body[0] : undefined;
      throw new QueryException(first?.errorCode ?? `HTTP_${res.status}`, first?.message ?? res.statusText);
    }
    records.push(...(stripNamespace(body.records, `${session.namespace}__`) as ApexRecord[]));
    if (body.done || !body.nextRecordsUrl) return records;
    url = `${session.instanceUrl}${body.nextRecordsUrl}`;
  }
}

let activityTypeLabels: Map<string, string> | undefined;

/** `toLabel(Activity_Type__c)`: the picklist value's label from the package source (the emulator returns API values). */
export function activityTypeLabel(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (!activityTypeLabels) {
    const file = join(REPO_ROOT, 'force-app/main/default/objects/Activity__c/fields/Activity_Type__c.field-meta.xml');
    const { root } = readMetadataXml(file);
    activityTypeLabels = new Map();
    for (const valueSet of children(root, 'valueSet'))
      for (const definition of children(valueSet, 'valueSetDefinition'))
        for (const v of children(definition, 'value')) {
          const name = text(v, 'fullName');
          if (name) activityTypeLabels.set(name, text(v, 'label') ?? name);
        }
  }
  return activityTypeLabels.get(value) ?? value;
}

/**
 * Creates (no id) or updates a record as the session's user through the REST API, as Apex DML `as user`
 * would; returns the id. A refusal throws {@link QueryException} with the org's error code and message.
 */
export async function save(
  session: OrgSession,
  sobject: string,
  id: string | null,
  fields: ApexRecord,
): Promise<string> {
  const name = namespaced(sobject, session.namespace);
  const body = Object.fromEntries(Object.entries(fields).map(([k, v]) => [namespaced(k, session.namespace), v]));
  const base = `${session.instanceUrl}/services/data/v${session.apiVersion ?? '65.0'}/sobjects/${name}`;
  const res = await fetch(id ? `${base}/${id}` : base, {
    method: id ? 'PATCH' : 'POST',
    headers: { Authorization: `Bearer ${session.accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    const errors = (await res.json().catch(() => [])) as Array<{ errorCode: string; message: string }>;
    throw new QueryException(errors[0]?.errorCode ?? `HTTP_${res.status}`, errors[0]?.message ?? res.statusText);
  }
  if (id) return id;
  return ((await res.json()) as { id: string }).id;
}
