import { Connection } from '@jsforce/jsforce-node';
import { RunningEmulator, startEmulator, EmulatorOptions } from '../../index';

/** Starts an emulator for a test file and a jsforce Connection for a user. */
export async function withEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator(opts);
}

/** A jsforce Connection as the sync builds it (instance URL + access token, API 65.0). */
export function connectionFor(emu: RunningEmulator, user: 'admin' | 'integration' = 'integration'): Connection {
  const { accessToken } = emu.issueTokens(user);
  return new Connection({ instanceUrl: emu.instanceUrl, accessToken, version: '65.0' });
}

/** What {@link call} returns; `body` is parsed JSON (or text), typed loosely for assertions. */
export interface CallResult {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

/** A fetch against the emulator with a bearer token; returns status, headers and parsed body. */
export async function call(
  emu: RunningEmulator,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<CallResult> {
  const isText = typeof body === 'string';
  const res = await fetch(emu.instanceUrl + path, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': isText ? 'text/csv' : 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : isText ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** Polls an ingest job until it leaves Open/UploadComplete/InProgress. */
export async function waitForJob(emu: RunningEmulator, token: string, id: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 500; i++) {
    const r = await call(emu, token, 'GET', `/services/data/v65.0/jobs/ingest/${id}`);
    if (['JobComplete', 'Failed', 'Aborted'].includes(r.body.state)) return r.body as Record<string, unknown>;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`job ${id} did not finish`);
}
