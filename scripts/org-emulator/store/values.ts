import { SField } from '../schema/model';
import { RowError, rowError } from './row-error';

/**
 * Converts incoming values (CSV text from Bulk API 2.0, JSON from REST) to the stored form, with the
 * platform's validation errors:
 * - dates `yyyy-MM-dd`, date-times `yyyy-MM-ddTHH:mm:ss(.SSS)(Z|±HH:mm)` (Bulk API 2.0 Developer
 *   Guide, "Valid Date Format in Records"); stored date-times are UTC `yyyy-MM-ddTHH:mm:ss.SSS+0000`
 *   as REST returns them;
 * - a value Bulk cannot deserialize gives `INVALID_FIELD:Failed to deserialize field at col N. Due to,
 *   'x' is not a valid value for the type xsd:T` (observed in real job results, SFDO-Tooling/Snowfakery#793);
 * - STRING_TOO_LONG, INVALID_EMAIL_ADDRESS, INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST and
 *   NUMBER_OUTSIDE_VALID_RANGE as the Object Reference's field rules describe.
 */

export type Converted = { ok: true; value: unknown } | { ok: false; error: RowError };

const XSD: Record<string, string> = {
  boolean: 'xsd:boolean',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;
const EMAIL_RE =
  /^[^\s@",<>()[\]\\;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

function validDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** Parses a date-time text to the stored UTC form, or undefined when it is not valid. */
export function parseDateTime(text: string): string | undefined {
  const m = DATETIME_RE.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const s = Number(m[6] ?? 0);
  if (!validDate(y, mo, d) || h > 23 || mi > 59 || s > 59) return undefined;
  const ms = Math.round(Number(m[7] ?? 0) * 1000);
  let offsetMin = 0;
  const tz = m[8];
  if (tz && tz !== 'Z') {
    const digits = tz.replace(':', '');
    offsetMin = (tz.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
  }
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMin * 60000;
  return formatDateTime(t);
}

/** Epoch milliseconds → stored/returned date-time form (`2024-05-01T12:00:00.000+0000`). */
export function formatDateTime(t: number): string {
  return new Date(t).toISOString().replace('Z', '+0000');
}

/** Parses a date text (`yyyy-MM-dd`), or undefined when it is not a real date. */
function parseDate(text: string): string | undefined {
  const m = DATE_RE.exec(text);
  if (!m || !validDate(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined;
  return text;
}

function invalidType(f: SField, raw: string, col: number | undefined): RowError {
  const where = col === undefined ? '' : `Failed to deserialize field at col ${col}. Due to, `;
  return rowError(
    'INVALID_FIELD',
    `${where}'${raw}' is not a valid value for the type ${XSD[f.type] ?? 'xsd:string'}`,
    [f.name],
  );
}

/** Checks a converted, non-null value against the field's length, format and picklist rules. */
export function checkValue(f: SField, value: unknown): RowError | undefined {
  switch (f.type) {
    case 'string':
    case 'textarea':
    case 'url':
    case 'phone':
    case 'email': {
      const s = String(value);
      if (f.length && s.length > f.length) {
        const shown = s.length > 60 ? `${s.slice(0, 60)}(truncated)` : s;
        return rowError('STRING_TOO_LONG', `${f.label}: data value too large: ${shown} (max length=${f.length})`, [
          f.name,
        ]);
      }
      if (f.type === 'email' && !EMAIL_RE.test(s)) {
        return rowError('INVALID_EMAIL_ADDRESS', `${f.label}: invalid email address: ${s}`, [f.name]);
      }
      return undefined;
    }
    case 'picklist': {
      const s = String(value);
      if (f.restrictedPicklist && !f.picklistValues?.includes(s)) {
        return rowError(
          'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
          `${f.label}: bad value for restricted picklist field: ${s}`,
          [f.name],
        );
      }
      if (s.length > 255)
        return rowError('STRING_TOO_LONG', `${f.label}: data value too large: ${s} (max length=255)`, [f.name]);
      return undefined;
    }
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      const n = value as number;
      const digits = (f.precision || 18) - f.scale;
      if (Math.abs(n) >= 10 ** digits) {
        return rowError(
          'NUMBER_OUTSIDE_VALID_RANGE',
          `${f.label}: value outside of valid range on numeric field: ${n}`,
          [f.name],
        );
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function finish(f: SField, value: unknown): Converted {
  const err = checkValue(f, value);
  return err ? { ok: false, error: err } : { ok: true, value };
}

/** Converts one non-empty CSV cell (not `#N/A`); `col` is the 0-based column for the deserialize message. */
export function fromText(f: SField, raw: string, col?: number): Converted {
  switch (f.type) {
    case 'boolean': {
      const v = raw.toLowerCase();
      if (v === 'true' || v === '1' || v === 'yes') return { ok: true, value: true };
      if (v === 'false' || v === '0' || v === 'no') return { ok: true, value: false };
      return { ok: false, error: invalidType(f, raw, col) };
    }
    case 'double':
    case 'currency':
    case 'percent':
    case 'int': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || (f.type === 'int' && !Number.isInteger(n))) {
        return { ok: false, error: invalidType(f, raw, col) };
      }
      return finish(f, f.scale >= 0 && f.type !== 'int' ? Number(n.toFixed(f.scale)) : n);
    }
    case 'date': {
      const d = parseDate(raw);
      return d ? { ok: true, value: d } : { ok: false, error: invalidType(f, raw, col) };
    }
    case 'datetime': {
      const d = parseDateTime(raw);
      return d ? { ok: true, value: d } : { ok: false, error: invalidType(f, raw, col) };
    }
    case 'picklist': {
      // Share the schema's string instead of keeping a copy per record (a million rows add up).
      const known = f.picklistValues?.find((v) => v === raw);
      return finish(f, known ?? raw);
    }
    default:
      return finish(f, raw);
  }
}

/** Converts a JSON value from a REST request body; null clears the field. */
export function fromJson(f: SField, value: unknown): Converted {
  if (value === null) return { ok: true, value: null };
  if (typeof value === 'boolean' && f.type === 'boolean') return { ok: true, value };
  if (typeof value === 'number' && ['double', 'currency', 'percent', 'int'].includes(f.type)) return finish(f, value);
  if (typeof value === 'string') return fromText(f, value);
  if (typeof value === 'number' || typeof value === 'boolean') return fromText(f, String(value));
  return {
    ok: false,
    error: rowError(
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of ${XSD[f.type] ?? 'string'} from ${typeof value}`,
      [f.name],
    ),
  };
}

/** A stored scalar as text (null and undefined as the empty string). */
export function str(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
