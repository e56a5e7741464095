import { ApiContext } from '../context';
import { ApiError, notFound } from '../http/errors';
import { readJson, Reply } from '../http/io';
import { RouteRequest } from '../http/router';
import { Dml, WriteResult } from '../store/dml';
import { rowError } from '../store/row-error';
import { str } from '../store/values';
import { recordFromJson } from './record-input';
import { compositeError } from './write-errors';

/**
 * sObject Collections (REST API "sObject Collections"): create (POST), update (PATCH), upsert by
 * external id (PATCH /composite/sobjects/{object}/{field}) and delete (DELETE ?ids=), up to 200
 * records, results in request order. With `allOrNone`, one failure rolls every record back and the
 * others report ALL_OR_NONE_OPERATION_ROLLED_BACK.
 */

interface CollectionBody {
  allOrNone?: boolean;
  records?: Array<Record<string, unknown>>;
}

const ROLLED_BACK = rowError(
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  'Record rolled back because not all records were valid and the request was using AllOrNone header',
);

type Op = 'create' | 'update' | 'upsert';

async function run(r: RouteRequest<ApiContext>, op: Op, objectName?: string, keyFieldName?: string): Promise<Reply> {
  const body = (await readJson(r.req)) as CollectionBody | undefined;
  const records = body?.records ?? [];
  if (records.length > 200)
    throw new ApiError(
      400,
      'EXCEEDED_ID_LIMIT',
      'record limit reached. cannot submit more than 200 records into this call',
    );
  const org = r.ctx.emu.org;
  const snapshot = new Map<string, Map<string, Record<string, unknown>>>();
  const dml = new Dml(org, r.ctx.user);
  const results: Array<WriteResult> = records.map((rec) => {
    const type = objectName ?? String((rec.attributes as { type?: string } | undefined)?.type ?? '');
    const obj = org.object(type);
    if (!obj || !r.ctx.access.object(obj).read)
      return { ok: false, error: rowError('INVALID_TYPE', `sObject type '${type}' is not supported.`) };
    const table = org.store.table(obj);
    if (body?.allOrNone && !snapshot.has(obj.name))
      snapshot.set(obj.name, new Map([...table.byId].map(([k, v]) => [k, { ...v }])));
    const input = recordFromJson(org, obj, rec);
    if ('error' in input) return { ok: false, error: input.error };
    if (op === 'create') return dml.insert(obj, input.values);
    if (op === 'update') {
      const id = str(rec.Id ?? rec.id);
      return dml.update(obj, id, input.values);
    }
    const keyField = obj.byName.get((keyFieldName ?? '').toLowerCase());
    if (!keyField?.idLookup)
      throw notFound(`Provided external ID field does not exist or is not accessible: ${keyFieldName}`);
    return dml.upsert(obj, keyField, str(input.values[keyField.name]), input.values);
  });
  const failed = results.some((x) => !x.ok);
  if (body?.allOrNone && failed) {
    for (const [name, rows] of snapshot) {
      const table = org.store.table(org.object(name)!);
      for (const id of [...table.byId.keys()]) table.remove(id);
      for (const rec of rows.values()) table.add(rec);
    }
  }
  const rolledBack = !!body?.allOrNone && failed;
  return {
    status: 200,
    body: results.map((x) => {
      if (!x.ok) return { id: x.id ?? null, success: false, errors: [compositeError(x.error)] };
      if (rolledBack) return { id: null, success: false, errors: [compositeError(ROLLED_BACK)] };
      return { id: x.id, success: true, errors: [], ...(op === 'upsert' ? { created: x.created } : {}) };
    }),
  };
}

/** POST /composite/sobjects. */
export const createCollection = (r: RouteRequest<ApiContext>): Promise<Reply> => run(r, 'create');
/** PATCH /composite/sobjects. */
export const updateCollection = (r: RouteRequest<ApiContext>): Promise<Reply> => run(r, 'update');
/** PATCH /composite/sobjects/{object}/{externalIdField}. */
export const upsertCollection = (r: RouteRequest<ApiContext>): Promise<Reply> =>
  run(r, 'upsert', r.params[1], r.params[2]);

/** DELETE /composite/sobjects?ids=a,b&allOrNone=false. */
export function deleteCollection(r: RouteRequest<ApiContext>): Reply {
  const ids = (r.url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
  const org = r.ctx.emu.org;
  const dml = new Dml(org, r.ctx.user);
  const body = ids.map((id) => {
    const table = org.store.tableForId(id);
    const res: WriteResult = table
      ? dml.delete(table.def, id)
      : { ok: false, id, error: rowError('MALFORMED_ID', `malformed id ${id}`) };
    return res.ok
      ? { id: res.id, success: true, errors: [] }
      : { id, success: false, errors: [compositeError(res.error)] };
  });
  return { status: 200, body };
}
