import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Pool } from 'pg';
import type { Operation } from '../people/authorization';
import type { Guard } from '../people/http/guard';
import type { Principal } from '../people/sessions';
import type { RunQueue } from '../queue/runs';
import type { MasterKeys } from '../secrets/master-key';
import type { Tenant } from '../tenants';

/** What the console's routes share. */
export interface ConsoleDeps {
  pool: Pool;
  /** The people layer's guard: every route runs it first, against the authorization table. */
  guard: (op: Operation) => Guard;
  trustProxy: boolean;
  /** The serve process's run queue: sync, retry and rematch go on it, as the CLI's do. */
  queue?: Pick<RunQueue, 'enqueue'>;
  /** serve mounted the browser connect routes (/connect/…): the tenant page links to their start routes. */
  connectRoutes?: boolean;
  /**
   * The master keys, read only when an operator adds a tenant (its data key) or removes one (its tokens
   * revoked). Unset: `resolveMasterKeys()` from the environment, where serve reads them.
   */
  keys?: () => MasterKeys;
}

/** One request as a console route sees it, after the guard let it through. */
export interface ConsoleCtx {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  ip: string;
  who: Principal;
  /**
   * The tenant the path names (`:name`), when live; routes without one, and the operator's routes (which
   * name the tenant they act on by `name`), never read it.
   */
  tenant: Tenant;
  /** The `:name` of the path ('' for a route without one). */
  name: string;
  /** The body of a POST or PUT (JSON or form fields); {} otherwise. */
  body: Record<string, unknown>;
  /** A form post or a page: answer with HTML, not JSON. */
  html: boolean;
}

/** A console route: method, path (`:name` matches a tenant name), its operation in the table, and its handler. */
export interface ConsoleRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  op: Operation;
  run: (deps: ConsoleDeps, ctx: ConsoleCtx) => Promise<void>;
}
