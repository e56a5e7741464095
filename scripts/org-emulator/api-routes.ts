import {
  abortQueryJob,
  createQueryJob,
  deleteQueryJob,
  getQueryJob,
  getQueryResults,
  listQueryJobs,
} from './bulk/query-routes';
import { changeState, createJob, deleteJob, getJob, getResults, listJobs, uploadData } from './bulk/ingest-routes';
import { ApiContext } from './context';
import { Router } from './http/router';
import { identityUrl } from './oauth/identity';
import { createCollection, deleteCollection, updateCollection, upsertCollection } from './rest/composite';
import { describeGlobal, describeObject, objectInfo } from './rest/describe';
import { limitsRoute } from './rest/limits';
import { queryMoreRoute, queryRoute } from './rest/query';
import { createRow, deleteRow, getRow, updateRow, upsertRow } from './rest/sobject-rows';
import { resourcesRoute } from './rest/versions';

/** The authenticated API under /services/data/vXX.X (the version is always the first parameter). */
export function apiRouter(): Router<ApiContext> {
  const v = '^/services/data/v(\\d+\\.\\d)';
  const p = (rest: string): RegExp => new RegExp(`${v}${rest}/?$`);
  const seg = '([^/]+)';
  return new Router<ApiContext>()
    .on('GET', p(''), (r) => resourcesRoute(r.params[0], identityUrl(r.ctx.emu, r.ctx.user)))
    .on('GET', p('/limits'), limitsRoute)
    .on('GET', p('/sobjects'), describeGlobal)
    .on('GET', p(`/sobjects/${seg}/describe`), describeObject)
    .on('GET', p(`/sobjects/${seg}`), objectInfo)
    .on('POST', p(`/sobjects/${seg}`), createRow)
    .on('GET', p(`/sobjects/${seg}/${seg}`), getRow)
    .on('PATCH', p(`/sobjects/${seg}/${seg}`), updateRow)
    .on('DELETE', p(`/sobjects/${seg}/${seg}`), deleteRow)
    .on('PATCH', p(`/sobjects/${seg}/${seg}/${seg}`), upsertRow)
    .on('GET', p('/query'), queryRoute(false))
    .on('GET', p('/queryAll'), queryRoute(false, 'queryAll'))
    .on('GET', p('/query/(01g[0-9a-f]+)-(\\d+)'), queryMoreRoute(false))
    .on('GET', p('/tooling/query'), queryRoute(true))
    .on('GET', p('/tooling/query/(01g[0-9a-f]+)-(\\d+)'), queryMoreRoute(true))
    .on('POST', p('/composite/sobjects'), createCollection)
    .on('PATCH', p('/composite/sobjects'), updateCollection)
    .on('DELETE', p('/composite/sobjects'), deleteCollection)
    .on('PATCH', p(`/composite/sobjects/${seg}/${seg}`), upsertCollection)
    .on('POST', p('/jobs/ingest'), createJob)
    .on('GET', p('/jobs/ingest'), listJobs)
    .on('GET', p(`/jobs/ingest/${seg}`), getJob)
    .on('PATCH', p(`/jobs/ingest/${seg}`), changeState)
    .on('DELETE', p(`/jobs/ingest/${seg}`), deleteJob)
    .on('PUT', p(`/jobs/ingest/${seg}/batches`), uploadData)
    .on('GET', p(`/jobs/ingest/${seg}/successfulResults`), getResults('success'))
    .on('GET', p(`/jobs/ingest/${seg}/failedResults`), getResults('failed'))
    .on('GET', p(`/jobs/ingest/${seg}/unprocessedrecords`), getResults('unprocessed'))
    .on('POST', p('/jobs/query'), createQueryJob)
    .on('GET', p('/jobs/query'), listQueryJobs)
    .on('GET', p(`/jobs/query/${seg}`), getQueryJob)
    .on('PATCH', p(`/jobs/query/${seg}`), abortQueryJob)
    .on('DELETE', p(`/jobs/query/${seg}`), deleteQueryJob)
    .on('GET', p(`/jobs/query/${seg}/results`), getQueryResults);
}
