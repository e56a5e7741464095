import { ApiError } from '../http/errors';
import { EmulatedOrg } from '../org';
import { SField, SObjectDef } from '../schema/model';
import { UserAccess } from '../security/access';
import { SRecord } from '../store/record-store';
import { formatDateTime, parseDateTime } from '../store/values';
import { Condition, Literal, SoqlQuery } from './ast';
import { dateLiteralRange } from './date-literals';
import { SoqlSyntaxError } from './lexer';
import { parseSoql } from './parser';

/** A field path resolved against the schema: the lookups to follow, then the field. */
export interface ResolvedPath {
  hops: Array<{ ref: SField; target: SObjectDef }>;
  field: SField;
  /** Names as the response spells them (relationship names, then the field name). */
  names: string[];
}

/** The outcome of a query before paging. */
export interface QueryOutcome {
  totalSize: number;
  records: SRecord[];
}

/** A query checked against the schema and the user's access, ready to run. */
export interface CompiledQuery {
  query: SoqlQuery;
  obj: SObjectDef;
  selected: ResolvedPath[];
  where: (r: SRecord) => boolean;
  order: Array<{ desc: boolean; nullsLast: boolean; path: ResolvedPath }>;
}

/** What a query sees: `query` the live records (REST /query, Bulk `query`), `queryAll` the recycle bin too. */
export type QueryScope = 'query' | 'queryAll';

function errorAt(soql: string, column: number, code: string, message: string): ApiError {
  const caret = `${' '.repeat(Math.max(0, column - 1))}^`;
  return new ApiError(400, code, `\n${soql}\n${caret}\nERROR at Row:1:Column:${column}\n${message}`);
}

/**
 * Runs a SOQL query as a user: object access and field-level security decide what exists
 * (an unreadable field is "No such column", an unreadable object "sObject type ... is not supported",
 * as Salesforce answers), relationship paths follow lookups, results carry `attributes`.
 */
export class SoqlExecutor {
  private readonly access: UserAccess;

  constructor(
    private readonly org: EmulatedOrg,
    access: UserAccess,
    private readonly tooling: boolean,
  ) {
    this.access = access;
  }

  /**
   * Parses the query and resolves every name against the schema and the user's access, without reading
   * records: a bad query fails here with the error Salesforce gives (Bulk query job creation uses this).
   */
  compile(soql: string): CompiledQuery {
    let q: SoqlQuery;
    try {
      q = parseSoql(soql);
    } catch (e) {
      if (e instanceof SoqlSyntaxError) throw errorAt(soql, e.column, 'MALFORMED_QUERY', e.message);
      throw e;
    }
    return this.compileQuery(soql, q);
  }

  /** Resolves a parsed query (the statement itself or a semi-join's inner SELECT) against schema and access. */
  private compileQuery(soql: string, q: SoqlQuery): CompiledQuery {
    const obj = this.org.object(q.object, this.tooling);
    if (!obj || !this.access.object(obj).read) {
      throw errorAt(
        soql,
        q.objectColumn,
        'INVALID_TYPE',
        `sObject type '${q.object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    const resolve = (path: string, column: number): ResolvedPath => this.resolve(soql, obj, path, column);
    const selected = q.fields.map((f) => resolve(f.path, f.column));
    const where = q.where ? this.compileWhere(soql, q.where, resolve) : () => true;
    const order = q.orderBy.map((o) => ({ desc: o.desc, nullsLast: o.nullsLast, path: resolve(o.path, o.column) }));
    return { query: q, obj, selected, where, order };
  }

  /** Runs a query; `queryAll` includes records in the recycle bin (IsDeleted = true). */
  run(soql: string, scope: QueryScope = 'query'): QueryOutcome {
    const { query: q, obj, selected, where, order } = this.compile(soql);
    const table = this.org.store.table(obj);
    let rows: SRecord[] = [];
    for (const rec of table.byId.values()) if (where(rec)) rows.push(rec);
    if (scope === 'queryAll') for (const rec of table.deleted.values()) if (where(rec)) rows.push(rec);
    if (order.length) {
      rows.sort((a, b) => {
        for (const o of order) {
          const va = this.valueOf(a, o.path);
          const vb = this.valueOf(b, o.path);
          if (va === vb) continue;
          if (va === null || va === undefined) return o.nullsLast ? 1 : -1;
          if (vb === null || vb === undefined) return o.nullsLast ? -1 : 1;
          const c = compare(va, vb);
          if (c !== 0) return o.desc ? -c : c;
        }
        return 0;
      });
    }
    const offset = q.offset ?? 0;
    rows = rows.slice(offset, q.limit === undefined ? undefined : offset + q.limit);
    if (q.count) return { totalSize: rows.length, records: [] };
    return { totalSize: rows.length, records: rows.map((r) => this.project(obj, r, selected)) };
  }

  private resolve(soql: string, obj: SObjectDef, path: string, column: number): ResolvedPath {
    const parts = path.split('.');
    const hops: ResolvedPath['hops'] = [];
    const names: string[] = [];
    let cur = obj;
    for (const rel of parts.slice(0, -1)) {
      const ref = cur.byRelationship.get(rel.toLowerCase());
      const target = ref?.referenceTo ? this.org.object(ref.referenceTo, this.tooling) : undefined;
      if (!ref || !target || !this.access.fieldReadable(cur, ref) || !this.access.object(target).read) {
        throw errorAt(
          soql,
          column,
          'INVALID_FIELD',
          `Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      }
      hops.push({ ref, target });
      names.push(ref.relationshipName as string);
      cur = target;
    }
    const last = parts[parts.length - 1];
    const field = cur.byName.get(last.toLowerCase());
    if (!field || !this.access.fieldReadable(cur, field)) {
      throw errorAt(
        soql,
        column,
        'INVALID_FIELD',
        `No such column '${last}' on entity '${cur.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    names.push(field.name);
    return { hops, field, names };
  }

  private parent(rec: SRecord, path: ResolvedPath): SRecord | undefined {
    let cur: SRecord | undefined = rec;
    for (const hop of path.hops) {
      const id: unknown = cur?.[hop.ref.name];
      cur = typeof id === 'string' ? this.org.store.table(hop.target).byId.get(id) : undefined;
      if (!cur) return undefined;
    }
    return cur;
  }

  private valueOf(rec: SRecord, path: ResolvedPath): unknown {
    return this.parent(rec, path)?.[path.field.name] ?? null;
  }

  private project(obj: SObjectDef, rec: SRecord, selected: ResolvedPath[]): SRecord {
    const v = this.org.schema.apiVersion;
    const attrs = (o: SObjectDef, r: SRecord): SRecord => ({
      type: o.name,
      url: `/services/data/v${v}/${this.tooling ? 'tooling/' : ''}sobjects/${o.name}/${String(r.Id)}`,
    });
    const out: SRecord = { attributes: attrs(obj, rec) };
    for (const p of selected) {
      let target = out;
      let src: SRecord | undefined = rec;
      let broken = false;
      p.hops.forEach((hop, i) => {
        const name = p.names[i];
        const id = src?.[hop.ref.name];
        src = typeof id === 'string' ? this.org.store.table(hop.target).byId.get(id) : undefined;
        if (broken) return;
        if (!src) {
          if (!(name in target)) target[name] = null;
          broken = true;
          return;
        }
        if (!target[name]) target[name] = { attributes: attrs(hop.target, src) };
        target = target[name] as SRecord;
      });
      if (!broken) target[p.field.name] = src?.[p.field.name] ?? null;
    }
    return out;
  }

  private compileWhere(
    soql: string,
    c: Condition,
    resolve: (p: string, col: number) => ResolvedPath,
  ): (r: SRecord) => boolean {
    switch (c.kind) {
      case 'and': {
        const items = c.items.map((i) => this.compileWhere(soql, i, resolve));
        return (r) => items.every((f) => f(r));
      }
      case 'or': {
        const items = c.items.map((i) => this.compileWhere(soql, i, resolve));
        return (r) => items.some((f) => f(r));
      }
      case 'not': {
        const inner = this.compileWhere(soql, c.item, resolve);
        return (r) => !inner(r);
      }
      case 'semiJoin':
        return this.semiJoin(soql, c, resolve(c.path, c.column));
      default: {
        const path = resolve(c.path, c.column);
        const test = predicate(path.field, c.op, c.value);
        if (!path.hops.length) {
          const name = path.field.name;
          return (r) => test(r[name] ?? null);
        }
        return (r) => test(this.valueOf(r, path));
      }
    }
  }

  /**
   * `field [NOT] IN (SELECT idField FROM X WHERE …)` ("Semi-Joins with IN and Anti-Joins with NOT IN"):
   * the inner query selects exactly one id or reference field; its values are read once, on first use.
   */
  private semiJoin(
    soql: string,
    c: Extract<Condition, { kind: 'semiJoin' }>,
    outer: ResolvedPath,
  ): (r: SRecord) => boolean {
    const inner = this.compileQuery(soql, c.sub);
    const picked = inner.selected[0];
    const idLike = (f: SField): boolean => f.type === 'id' || f.type === 'reference';
    if (
      c.sub.count ||
      inner.selected.length !== 1 ||
      picked.hops.length ||
      !idLike(picked.field) ||
      !idLike(outer.field)
    ) {
      throw errorAt(
        soql,
        c.column,
        'MALFORMED_QUERY',
        'The selected field in a semi join subquery must be an id or a reference to an id, and the only field selected.',
      );
    }
    let ids: Set<unknown> | undefined;
    const values = (): Set<unknown> => {
      ids ??= new Set(
        [...this.org.store.table(inner.obj).byId.values()].filter(inner.where).map((r) => r[picked.field.name]),
      );
      return ids;
    };
    return (r) => {
      const v = this.valueOf(r, outer);
      const hit = v !== null && values().has(v);
      return c.not ? !hit : hit;
    };
  }
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

const CASE_INSENSITIVE = new Set(['string', 'textarea', 'email', 'url', 'phone', 'picklist']);

function compareExact(a: unknown, b: unknown): number {
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/** A literal as a comparable value for the field's type, or a [start, end) range for date literals. */
function literalValue(f: SField, lit: Literal): unknown {
  switch (lit.kind) {
    case 'null':
      return null;
    case 'datetime':
      return f.type === 'date' ? lit.value.slice(0, 10) : parseDateTime(lit.value);
    case 'date':
      return f.type === 'datetime' ? formatDateTime(Date.parse(`${lit.value}T00:00:00Z`)) : lit.value;
    case 'dateLiteral': {
      const [s, e] = dateLiteralRange(lit.name, lit.n);
      const fmt = (t: number): string =>
        f.type === 'date' ? new Date(t).toISOString().slice(0, 10) : formatDateTime(t);
      return { start: fmt(s), end: fmt(e) };
    }
    default:
      return lit.value;
  }
}

function likeRegex(pattern: string): RegExp {
  const body = pattern
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/%/g, '.*')
    .replace(/_/g, '.');
  return new RegExp(`^${body}$`, 'is');
}

function isRange(v: unknown): v is { start: string; end: string } {
  return typeof v === 'object' && v !== null && 'start' in v;
}

function predicate(f: SField, op: string, value: Literal | Literal[]): (v: unknown) => boolean {
  if (op === 'IN' || op === 'NOT IN') {
    const set = (value as Literal[]).map((l) => literalValue(f, l));
    const keys = new Set(set.map((x) => (typeof x === 'string' ? x.toLowerCase() : x)));
    const inSet = (v: unknown): boolean => v !== null && keys.has(typeof v === 'string' ? v.toLowerCase() : v);
    return op === 'IN' ? inSet : (v) => !inSet(v);
  }
  const lit = literalValue(f, value as Literal);
  if (op === 'LIKE') {
    const re = likeRegex(String(lit));
    return (v) => typeof v === 'string' && re.test(v);
  }
  if (isRange(lit)) {
    const { start, end } = lit;
    const inRange = (v: unknown): boolean => typeof v === 'string' && v >= start && v < end;
    const ops: Record<string, (v: unknown) => boolean> = {
      '=': inRange,
      '!=': (v) => !inRange(v),
      '<': (v) => typeof v === 'string' && v < start,
      '<=': (v) => typeof v === 'string' && v < end,
      '>': (v) => typeof v === 'string' && v >= end,
      '>=': (v) => typeof v === 'string' && v >= start,
    };
    return ops[op];
  }
  if (lit === null) return op === '=' ? (v) => v === null : (v) => v !== null;
  const ops: Record<string, (c: number) => boolean> = {
    '=': (c) => c === 0,
    '!=': (c) => c !== 0,
    '<': (c) => c < 0,
    '<=': (c) => c <= 0,
    '>': (c) => c > 0,
    '>=': (c) => c >= 0,
  };
  const test = ops[op];
  // Dates, date-times, ids, numbers and booleans compare as stored (ISO text orders chronologically);
  // only text fields compare case-insensitively, which costs two lower-casings per record.
  const cmp = CASE_INSENSITIVE.has(f.type) ? compare : compareExact;
  return (v) => (v === null || v === undefined ? op === '!=' : test(cmp(v, lit)));
}
