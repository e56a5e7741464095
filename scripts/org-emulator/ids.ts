/**
 * Salesforce record ids: 15 case-sensitive characters (3-character key prefix, 12 more) plus a
 * 3-character suffix that encodes which of the first 15 characters are upper case, so the 18-character
 * form survives case-insensitive systems. Algorithm as described in the Salesforce help article
 * "What are Salesforce IDs composed of?" (knowledge article 000385008).
 */
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 3-character case-safety suffix of a 15-character id. */
export function idSuffix(id15: string): string {
  let out = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charCodeAt(chunk * 5 + i);
      if (c >= 65 && c <= 90) bits |= 1 << i;
    }
    out += SUFFIX[bits];
  }
  return out;
}

/** Builds an 18-character id from a key prefix and a sequence number. */
export function makeId(keyPrefix: string, seq: number): string {
  let n = seq;
  let body = '';
  for (let i = 0; i < 9; i++) {
    body = BASE62[n % 62] + body;
    n = Math.floor(n / 62);
  }
  const id15 = `${keyPrefix}5g0${body}`;
  return id15 + idSuffix(id15);
}

/** True when the value has the shape of a 15- or 18-character id (with a valid suffix when 18). */
export function isIdShaped(value: string): boolean {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(value)) return false;
  return value.length === 15 || idSuffix(value.slice(0, 15)) === value.slice(15).toUpperCase();
}

/** Normalises a 15- or 18-character id to 18 characters. */
export function to18(value: string): string {
  return value.length === 15 ? value + idSuffix(value) : value.slice(0, 15) + idSuffix(value.slice(0, 15));
}
