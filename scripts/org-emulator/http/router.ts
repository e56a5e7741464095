import { IncomingMessage } from 'node:http';
import { Reply } from './io';

/** A matched request: the raw request, its URL, path parameters. */
export interface RouteRequest<C> {
  req: IncomingMessage;
  url: URL;
  params: string[];
  ctx: C;
}

type Handler<C> = (r: RouteRequest<C>) => Promise<Reply> | Reply;

/** A minimal method + regular-expression router. */
export class Router<C> {
  private readonly routes: Array<{ method: string; pattern: RegExp; handler: Handler<C> }> = [];

  on(method: string, pattern: RegExp, handler: Handler<C>): this {
    this.routes.push({ method, pattern, handler });
    return this;
  }

  /** The handler for a request, `'method'` when only the method is wrong, or undefined. */
  match(method: string, path: string): { handler: Handler<C>; params: string[] } | 'method' | undefined {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (r.method === method)
        return { handler: r.handler, params: m.slice(1).map((p) => decodeURIComponent(p ?? '')) };
    }
    return pathMatched ? 'method' : undefined;
  }
}
