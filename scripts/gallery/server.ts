import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { COMPONENTS, FRAMES, STATE_LABELS, findComponent, type FrameName, type StateName } from './catalog';
import { AuraHandledError } from './data/aura';
import { callApex } from './data/registry';
import { query, quote } from './data/soql';
import type { GalleryOrg } from './org';
import { PUBLIC_DIR } from './paths';
import { allPages, sceneFor, type Scene } from './scenes';

export interface GalleryServer {
  url: string;
  close(): Promise<void>;
}

export interface GalleryServerOptions {
  org: GalleryOrg;
  port?: number;
  /** The built page (default dist/gallery/public). */
  publicDir?: string;
  /** The clock the Apex stand-in reads (Date.today() in Apex); default: now. */
  now?: () => Date;
  /** Told of every stand-in failure that is not an AuraHandledException (a bug of ours, not a state). */
  onError?: (error: unknown) => void;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function serveFile(res: ServerResponse, dir: string, path: string): void {
  const file = normalize(join(dir, path === '/' || path === '/page' ? 'index.html' : path));
  if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`Not found: ${path}`);
    return;
  }
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
}

/** The scene named by `?c=&s=&w=`, or a message saying what is wrong with the URL. */
function sceneOf(org: GalleryOrg, url: URL): Scene | string {
  const component = findComponent(url.searchParams.get('c') ?? '');
  if (!component) return `Unknown component; use one of: ${COMPONENTS.map((c) => c.key).join(', ')}.`;
  const state = (url.searchParams.get('s') ?? 'data') as StateName;
  const frame = (url.searchParams.get('w') ?? component.frame) as FrameName;
  return (
    sceneFor(org.emulator.org, org.demo, org.fixtures, component, state, frame) ??
    `${component.title} has no state "${state}" or frame "${frame}"; states: ${component.states.join(', ')}; frames: ${Object.keys(FRAMES).join(', ')}.`
  );
}

/**
 * Serves the gallery: the built page, the catalog of components and states, each page's scene, and the
 * Apex stand-in (`POST /api/apex/Class.method`), answering as the scene's audience would be answered.
 */
export async function startGalleryServer(opts: GalleryServerOptions): Promise<GalleryServer> {
  const dir = normalize(opts.publicDir ?? PUBLIC_DIR);
  const now = opts.now ?? (() => new Date());
  const { org } = opts;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://gallery.local');
    if (url.pathname === '/api/catalog') {
      json(res, 200, {
        components: COMPONENTS,
        frames: FRAMES,
        stateLabels: STATE_LABELS,
        pages: allPages().map((p) => ({ c: p.component.key, s: p.state, w: p.frame })),
      });
      return;
    }
    if (url.pathname === '/api/scene') {
      const scene = sceneOf(org, url);
      if (typeof scene === 'string') json(res, 404, { message: scene });
      else json(res, 200, { ...scene, regionWidth: FRAMES[scene.frame].regionWidth, width: FRAMES[scene.frame].width });
      return;
    }
    const apex = /^\/api\/apex\/(\w+)\.(\w+)$/.exec(url.pathname);
    if (apex && req.method === 'POST') {
      const scene = sceneOf(org, url);
      if (typeof scene === 'string') return json(res, 404, { message: scene });
      const params = await readBody(req);
      // The loading state: the answer never comes (the connection closes with the server).
      if (scene.hang) return;
      const ctx = { session: org.sessions[scene.audience], schema: org.sessions.rep, now: now() };
      // As Aura answers an action: HTTP 200, the outcome in the body.
      try {
        json(res, 200, { state: 'SUCCESS', returnValue: await callApex(ctx, apex[1], apex[2], params) });
      } catch (e) {
        const handled = e instanceof AuraHandledError;
        if (!handled) opts.onError?.(e);
        json(res, 200, {
          state: 'ERROR',
          error: {
            message: e instanceof Error ? e.message : String(e),
            exceptionType: handled ? 'System.AuraHandledException' : 'Gallery.StandInError',
          },
        });
      }
      return;
    }
    if (url.pathname === '/api/contacts') {
      // lightning-record-picker's search, for the stand-in picker: Contacts by name.
      const term = (url.searchParams.get('q') ?? '').trim();
      const id = url.searchParams.get('id');
      const where = id ? `Id = ${quote(id)}` : `Name LIKE ${quote(`%${term}%`)}`;
      const rows = await query(
        org.sessions.rep,
        `SELECT Id, Name, Email FROM Contact WHERE ${where} ORDER BY Name LIMIT 8`,
      );
      json(
        res,
        200,
        rows.map((r) => ({ id: r.Id, name: r.Name, email: r.Email ?? null })),
      );
      return;
    }
    serveFile(res, dir, url.pathname);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) json(res, 500, { message: e instanceof Error ? e.message : String(e) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
