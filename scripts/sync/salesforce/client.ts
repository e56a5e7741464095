import { SalesforceHttp, type RetryPolicy, type SalesforceSession } from './http';

/** One page of a SOQL answer, as the REST API gives it. */
export interface QueryResult<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

/** The parts of an sObject describe the sync reads. */
export interface DescribeResult {
  name: string;
  queryable?: boolean;
  createable?: boolean;
  updateable?: boolean;
  fields: { name: string; type?: string; filterable?: boolean; updateable?: boolean; createable?: boolean }[];
}

/** One of the org's limits (`/limits`). */
export interface OrgLimit {
  Max: number;
  Remaining: number;
}

/** What the checks, `verify` and the console ask of Salesforce; SalesforceClient is the one implementation. */
export interface SalesforceApi {
  request<T>(path: string): Promise<T>;
  describe(sobject: string): Promise<DescribeResult>;
  query<T>(soql: string): Promise<QueryResult<T>>;
  readonly tooling: { query<T>(soql: string): Promise<QueryResult<T>> };
}

/**
 * The sync's Salesforce client: the transport of SalesforceHttp (one retry policy, one renewal on a 401,
 * one error mapping) with the calls the checks, `verify`, the console and the schedule make, named as
 * REST names them. `query` and `tooling.query` read every page (queryMore), so a caller never sees a
 * half answer.
 */
export class SalesforceClient extends SalesforceHttp implements SalesforceApi {
  readonly tooling = { query: <T>(soql: string): Promise<QueryResult<T>> => this.allPages<T>('/tooling/query', soql) };

  /** GET of a path under the instance (`/services/…`), under the data URL (`/sobjects/…`), or a full URL. */
  request<T>(path: string): Promise<T> {
    return this.json<T>('GET', path);
  }

  describe(sobject: string): Promise<DescribeResult> {
    return this.json<DescribeResult>('GET', `/sobjects/${encodeURIComponent(sobject)}/describe`);
  }

  query<T>(soql: string): Promise<QueryResult<T>> {
    return this.allPages<T>('/query', soql);
  }

  /** Like query, deleted and archived records included. */
  queryAll<T>(soql: string): Promise<QueryResult<T>> {
    return this.allPages<T>('/queryAll', soql);
  }

  /** The org's limits, DailyApiRequests and DailyBulkApiBatches among them. */
  limits(): Promise<Record<string, OrgLimit>> {
    return this.json<Record<string, OrgLimit>>('GET', '/limits');
  }

  private async allPages<T>(resource: string, soql: string): Promise<QueryResult<T>> {
    const first = await this.json<QueryResult<T>>('GET', `${resource}?q=${encodeURIComponent(soql)}`);
    const records = [...first.records];
    let page = first;
    while (!page.done && page.nextRecordsUrl) {
      page = await this.json<QueryResult<T>>('GET', page.nextRecordsUrl);
      records.push(...page.records);
    }
    return { totalSize: first.totalSize, done: true, records };
  }
}

/** A client, or a session a client is made for. */
export type SalesforceTarget = SalesforceApi | SalesforceSession;

function isSession(target: SalesforceTarget): target is SalesforceSession {
  return !(target instanceof SalesforceHttp) && typeof (target as SalesforceSession).instanceUrl === 'string';
}

/** The client for a target: itself when it is one, else a new SalesforceClient over the session. */
export function clientFor(target: SalesforceTarget, retry?: Partial<RetryPolicy>): SalesforceApi {
  return isSession(target) ? new SalesforceClient(target, retry) : target;
}

/** The session behind a target (push makes its own client per run, with its own retry tuning and call count). */
export function sessionOf(target: SalesforceSession | SalesforceHttp): SalesforceSession {
  return target instanceof SalesforceHttp ? target.session : target;
}
