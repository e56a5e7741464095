import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The breached-password check. The list is zxcvbn-ts's common-password dictionary (@zxcvbn-ts/language-common,
 * MIT): about 49,000 passwords ordered by how often they appear in published breach corpora. Most of them
 * are shorter than the 12 characters a password needs, so the check also looks through the padding people
 * add to reach a length rule: digits and symbols around a common password (`password2024!!`), and a common
 * password said twice (`dragondragon`).
 */

/** This product's own name and the services it joins: the first thing a guesser tries here. */
const PRODUCT_WORDS = ['tightknit', 'tightknitsync', 'tightknit-sync', 'salesforce', 'slack', 'community'];

/** A part shorter than this is not looked up on its own: too many short words are on the list. */
const MIN_CORE = 4;

let known: ReadonlySet<string> | undefined;

function list(): ReadonlySet<string> {
  // Decompressed on the first check only (a few milliseconds), not when the server starts.
  known ??= new Set([...dictionary['passwords-common'], ...PRODUCT_WORDS]);
  return known;
}

/** The password itself, without the digits and symbols around it, and the unit it repeats, if any. */
function candidates(password: string): string[] {
  const lower = password.toLowerCase();
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const repeated = /^(.{4,}?)\1+$/u.exec(core)?.[1];
  return [lower, core, ...(repeated ? [repeated] : [])];
}

/**
 * Whether a password is a common, breached one: on the list as it is, or a listed password of at least
 * four characters with only digits and symbols added around it, or said more than once.
 */
export function isCommonPassword(password: string): boolean {
  const words = list();
  return candidates(password).some((c, i) => (i === 0 || c.length >= MIN_CORE) && words.has(c));
}
