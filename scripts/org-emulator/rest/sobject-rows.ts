import { ApiContext } from '../context';
import { ApiError, notFound } from '../http/errors';
import { readJson, Reply } from '../http/io';
import { RouteRequest } from '../http/router';
import { to18 } from '../ids';
import { SObjectDef } from '../schema/model';
import { Dml, WriteResult } from '../store/dml';
import { recordFromJson } from './record-input';
import { writeError } from './write-errors';

/**
 * sObject rows (REST API "sObject Rows" and "sObject Rows by External ID"): create (201 `{id,
 * success, errors}`), retrieve, update (204), delete (204), upsert by external id (201 created /
 * 200 updated, with `created`).
 */

function objectFor(r: RouteRequest<ApiContext>, name: string): SObjectDef {
  const obj = r.ctx.emu.org.object(name);
  if (!obj || !r.ctx.access.object(obj).read) throw notFound();
  return obj;
}

async function body(r: RouteRequest<ApiContext>): Promise<Record<string, unknown>> {
  const b = await readJson(r.req);
  if (!b || typeof b !== 'object' || Array.isArray(b))
    throw new ApiError(400, 'JSON_PARSER_ERROR', 'Expected a JSON object');
  return b as Record<string, unknown>;
}

function fail(res: WriteResult): never {
  if (res.ok) throw new Error('not an error');
  if (res.error.code === 'ENTITY_IS_DELETED' || res.error.code === 'MALFORMED_ID')
    throw notFound('Provided external ID field does not exist or is not accessible: ' + (res.id ?? ''));
  throw writeError(res.error);
}

/** POST /sobjects/{object}. */
export async function createRow(r: RouteRequest<ApiContext>): Promise<Reply> {
  const obj = objectFor(r, r.params[1]);
  const input = recordFromJson(r.ctx.emu.org, obj, await body(r));
  if ('error' in input) throw writeError(input.error);
  const res = new Dml(r.ctx.emu.org, r.ctx.user).insert(obj, input.values);
  if (!res.ok) throw writeError(res.error);
  return { status: 201, body: { id: res.id, success: true, errors: [] } };
}

/** GET /sobjects/{object}/{id}[?fields=a,b]. */
export function getRow(r: RouteRequest<ApiContext>): Reply {
  const [version, name, id] = r.params;
  const obj = objectFor(r, name);
  const rec = /^[a-zA-Z0-9]{15,18}$/.test(id) ? r.ctx.emu.org.store.table(obj).byId.get(to18(id)) : undefined;
  if (!rec) throw notFound();
  const wanted = r.url.searchParams
    .get('fields')
    ?.split(',')
    .map((f) => f.trim().toLowerCase());
  const out: Record<string, unknown> = {
    attributes: { type: obj.name, url: `/services/data/v${version}/sobjects/${obj.name}/${String(rec.Id)}` },
  };
  for (const f of obj.fields) {
    if (!r.ctx.access.fieldReadable(obj, f)) continue;
    if (wanted && !wanted.includes(f.name.toLowerCase())) continue;
    out[f.name] = rec[f.name] ?? null;
  }
  return { status: 200, body: out };
}

/** PATCH /sobjects/{object}/{id}. */
export async function updateRow(r: RouteRequest<ApiContext>): Promise<Reply> {
  const [, name, id] = r.params;
  const obj = objectFor(r, name);
  const input = recordFromJson(r.ctx.emu.org, obj, await body(r));
  if ('error' in input) throw writeError(input.error);
  const res = new Dml(r.ctx.emu.org, r.ctx.user).update(obj, id, input.values);
  if (!res.ok) fail(res);
  return { status: 204 };
}

/** DELETE /sobjects/{object}/{id}. */
export function deleteRow(r: RouteRequest<ApiContext>): Reply {
  const [, name, id] = r.params;
  const obj = objectFor(r, name);
  const res = new Dml(r.ctx.emu.org, r.ctx.user).delete(obj, id);
  if (!res.ok) fail(res);
  return { status: 204 };
}

/** PATCH /sobjects/{object}/{externalIdField}/{value}. */
export async function upsertRow(r: RouteRequest<ApiContext>): Promise<Reply> {
  const [, name, fieldName, value] = r.params;
  const obj = objectFor(r, name);
  const keyField = obj.byName.get(fieldName.toLowerCase());
  if (!keyField || !keyField.idLookup || !r.ctx.access.fieldReadable(obj, keyField)) {
    throw notFound(`Provided external ID field does not exist or is not accessible: ${fieldName}`);
  }
  const input = recordFromJson(r.ctx.emu.org, obj, await body(r));
  if ('error' in input) throw writeError(input.error);
  const res = new Dml(r.ctx.emu.org, r.ctx.user).upsert(obj, keyField, value, input.values);
  if (!res.ok) throw writeError(res.error);
  return { status: res.created ? 201 : 200, body: { id: res.id, success: true, errors: [], created: res.created } };
}
