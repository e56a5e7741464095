/**
 * Turns an activity's Metadata__c (JSON written by the sync when "Activity Metadata" is on) into
 * something a person can read: a flat key/value list for JSON objects, the raw text otherwise.
 */

type MetadataEntry = { key: string; value: string };

export type MetadataView =
  { kind: 'none' } | { kind: 'entries'; entries: MetadataEntry[]; truncated: boolean } | { kind: 'text'; text: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flatten(value: unknown, prefix: string, out: MetadataEntry[]): void {
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && prefix) {
      out.push({ key: prefix, value: '{}' });
    }
    keys.forEach((key) => flatten(value[key], prefix ? `${prefix}.${key}` : key, out));
    return;
  }
  if (Array.isArray(value)) {
    if (value.every((item) => !isPlainObject(item) && !Array.isArray(item))) {
      out.push({ key: prefix, value: value.map((item) => String(item)).join(', ') });
      return;
    }
    value.forEach((item, index) => flatten(item, `${prefix}[${index}]`, out));
    return;
  }
  out.push({ key: prefix, value: value === null || value === undefined ? '' : String(value) });
}

/** Readable metadata: at most maxEntries key/value pairs; invalid JSON comes back as text. */
export function formatMetadata(raw: string | null | undefined, maxEntries = 50): MetadataView {
  const text = (raw ?? '').trim();
  if (!text) {
    return { kind: 'none' };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // Malformed JSON is shown as written; anything else is a bug. (Binding the error also keeps the
    // compiled file parseable by PMD's JavaScript parser, which fails on `catch {`.)
    if (!(error instanceof SyntaxError)) throw error;
    return { kind: 'text', text };
  }
  if (!isPlainObject(parsed) && !Array.isArray(parsed)) {
    return { kind: 'text', text };
  }
  const entries: MetadataEntry[] = [];
  flatten(parsed, '', entries);
  const named = entries.map((entry) => ({ ...entry, key: entry.key || '(value)' }));
  if (named.length === 0) {
    return { kind: 'none' };
  }
  return { kind: 'entries', entries: named.slice(0, maxEntries), truncated: named.length > maxEntries };
}

/** TightknitActivityInfoController.ActivityDetail as the component receives it. */
export type ActivityDetail = {
  activity: import('c/tightknitTableUtils').ActivityRow;
  channelId?: string;
  threadId?: string;
  metadata?: string;
};
