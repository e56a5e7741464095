/**
 * The console's one API client: same-origin fetch with the session cookie, JSON in and out, and a
 * status subscription over server-sent events that falls back to polling.
 */
import type {
  CheckReportView,
  ConfigChange,
  ConfigView,
  ConnectRequest,
  ConnectStarted,
  ConnectionView,
  DisconnectView,
  InvestigationView,
  RunView,
  SlackConnectRequest,
  SlackConnectView,
  SlackDisconnectView,
  StartRequest,
  StatusView,
  VerifyView,
} from 'tk/contract';
import { ApiRequestError, type ErrorInfo } from 'tk/errors';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const unauthorizedListeners = new Set<() => void>();

/** Registers a callback for a 401 on any call (the session expired or the link lacked its token). */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (method !== 'GET') {
    init.headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
    init.body = JSON.stringify(body ?? {});
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let parsed: unknown;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) {
    const info = (parsed as { error?: ErrorInfo } | undefined)?.error;
    const error = new ApiRequestError(
      response.status,
      info && typeof info.code === 'string'
        ? info
        : {
            code: `HTTP_${response.status}`,
            message: `The console server answered ${response.status} ${response.statusText}.`.trim(),
            actions: [],
          },
    );
    if (response.status === 401) unauthorizedListeners.forEach((listener) => listener());
    throw error;
  }
  return parsed as T;
}

export function getStatus(): Promise<StatusView> {
  return request('GET', '/api/status');
}

/** 200 with the connection, or 202 with the sign-in page to open (web login). */
export function connect(req: ConnectRequest): Promise<{ connection: ConnectionView } | ConnectStarted> {
  return request('POST', '/api/connection', req);
}

export function disconnect(): Promise<DisconnectView> {
  return request('DELETE', '/api/connection', {});
}

export function verifyPackage(): Promise<VerifyView> {
  return request('POST', '/api/connection/verify', {});
}

export function checkConnection(): Promise<CheckReportView> {
  return request('POST', '/api/connection/check', {});
}

/** Connects the Slack workspace with the app's values (stored encrypted; never sent back). */
export function connectSlack(req: SlackConnectRequest): Promise<SlackConnectView> {
  return request('POST', '/api/slack', req);
}

export function disconnectSlack(): Promise<SlackDisconnectView> {
  return request('DELETE', '/api/slack', {});
}

/** The bot token and each scope the Slack source needs, with the fix for each missing one. */
export function checkSlack(): Promise<CheckReportView> {
  return request('POST', '/api/slack/check', {});
}

export function getConfig(): Promise<ConfigView> {
  return request('GET', '/api/config');
}

export function saveConfig(change: ConfigChange): Promise<ConfigView> {
  return request('PUT', '/api/config', change);
}

export function startSync(req: StartRequest = {}): Promise<StatusView> {
  return request('POST', '/api/sync/start', req);
}

/** Looks every member up again with the current match rules (202; progress arrives with the status). */
export function rematch(): Promise<StatusView> {
  return request('POST', '/api/sync/rematch', {});
}

export function stopSync(): Promise<StatusView> {
  return request('POST', '/api/sync/stop', {});
}

export function pauseSync(): Promise<StatusView> {
  return request('POST', '/api/sync/pause', {});
}

export function resumeSync(): Promise<StatusView> {
  return request('POST', '/api/sync/resume', {});
}

export async function listRuns(limit = 50): Promise<RunView[]> {
  const answer = await request<{ runs: RunView[] }>('GET', `/api/runs?limit=${limit}`);
  return answer.runs;
}

export function getRun(runId: number): Promise<InvestigationView> {
  return request('GET', `/api/runs/${runId}`);
}

export function retryRun(runId: number): Promise<StatusView> {
  return request('POST', `/api/runs/${runId}/retry`, {});
}

export interface SubscribeOptions {
  /** Consecutive EventSource errors (without a status in between) before switching to polling. */
  maxErrors?: number;
  pollMs?: number;
  /** Called when the server cannot be reached, and with null once it answers again. */
  onConnectionProblem?: (problem: Error | null) => void;
}

/**
 * Calls `onStatus` with every StatusView the server sends. EventSource reconnects by itself; after
 * several errors in a row (a proxy that buffers, a server restart loop) it polls GET /api/status.
 * Returns a function that ends the subscription.
 */
export function subscribe(onStatus: (status: StatusView) => void, options: SubscribeOptions = {}): () => void {
  const maxErrors = options.maxErrors ?? 3;
  const pollMs = options.pollMs ?? 2000;
  let closed = false;
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let errors = 0;

  const poll = async (): Promise<void> => {
    // Never rejects: every failure is reported through onConnectionProblem.
    if (closed) return;
    try {
      onStatus(await getStatus());
      options.onConnectionProblem?.(null);
    } catch (err) {
      if (err instanceof ApiRequestError && err.status === 401) {
        closed = true;
        return;
      }
      options.onConnectionProblem?.(err instanceof Error ? err : new Error(String(err as string)));
    }
    // Polling is the fallback when the event stream keeps failing; a timer is the point.
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    if (!closed) timer = setTimeout(() => poll().catch(() => undefined), pollMs);
  };

  const startPolling = (): void => {
    source?.close();
    source = null;
    poll().catch(() => undefined);
  };

  if (typeof EventSource === 'undefined') {
    startPolling();
  } else {
    source = new EventSource('/api/events', { withCredentials: true });
    source.addEventListener('status', (event) => {
      errors = 0;
      options.onConnectionProblem?.(null);
      try {
        onStatus(JSON.parse((event as MessageEvent<string>).data) as StatusView);
      } catch {
        // A malformed event is skipped; the next one carries the whole status again.
      }
    });
    source.addEventListener('error', () => {
      errors += 1;
      // A refused stream (401, 404, wrong type) is closed for good and never retried by the
      // browser: poll at once, which also learns about an expired session.
      const givenUp = source?.readyState === 2;
      if ((givenUp || errors >= maxErrors) && !closed) startPolling();
    });
  }

  return () => {
    closed = true;
    source?.close();
    if (timer) clearTimeout(timer);
  };
}
