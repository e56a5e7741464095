import { tsKey } from '../ts';
import { SlackApiError } from './errors';

export type Args = Record<string, string>;

/** `limit` as Slack reads it: default when absent or 0, clamped to [1, max]. */
export function limitArg(args: Args, def: number, max: number): number {
  if (args.limit === undefined || args.limit === '') return def;
  const n = Number(args.limit);
  if (!Number.isFinite(n)) throw new SlackApiError('invalid_limit');
  if (n <= 0) return def;
  return Math.min(Math.floor(n), max);
}

/** Slack's cursors are opaque base64 strings ("bmV4dF90czox..." is "next_ts:1..."); ours are too. */
export function encodeCursor(kind: string, value: string): string {
  return Buffer.from(`${kind}:${value}`, 'utf8').toString('base64');
}

/** The value inside a cursor of this kind; undefined when no cursor; invalid_cursor when malformed. */
export function decodeCursor(args: Args, kind: string): string | undefined {
  if (!args.cursor) return undefined;
  const text = Buffer.from(args.cursor, 'base64').toString('utf8');
  if (!text.startsWith(`${kind}:`)) throw new SlackApiError('invalid_cursor');
  return text.slice(kind.length + 1);
}

export function tsArg(args: Args, name: string): string | undefined {
  const v = args[name];
  if (v === undefined || v === '') return undefined;
  if (!tsKey(v)) throw new SlackApiError('invalid_ts_' + name);
  return v;
}

export function boolArg(args: Args, name: string): boolean {
  const v = (args[name] ?? '').toLowerCase();
  return v === 'true' || v === '1';
}
