import { connect, disconnect, getStatus, listRuns, onUnauthorized, saveConfig, startSync, subscribe } from 'tk/api';
import { ApiRequestError } from 'tk/errors';
import * as fx from '../../../../__tests__/fixtures';

function answer(status: number, body: unknown) {
  return Promise.resolve({
    ok: status >= 200 && status < 300,
    status,
    statusText: status === 502 ? 'Bad Gateway' : '',
    text: () => Promise.resolve(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body)),
  });
}

class FakeEventSource {
  static last: FakeEventSource | null = null;
  listeners: Record<string, Array<(e: unknown) => void>> = {};
  closed = false;
  readyState = 0;
  constructor(
    public url: string,
    public init?: EventSourceInit,
  ) {
    FakeEventSource.last = this;
  }
  addEventListener(type: string, fn: (e: unknown) => void) {
    (this.listeners[type] ??= []).push(fn);
  }
  emit(type: string, data?: unknown) {
    for (const fn of this.listeners[type] ?? []) fn({ data: JSON.stringify(data) });
  }
  close() {
    this.closed = true;
  }
}

describe('tk/api', () => {
  let fetchMock: jest.Mock;
  beforeEach(() => {
    fetchMock = jest.fn();
    (globalThis as { fetch: unknown }).fetch = fetchMock;
  });
  afterEach(() => {
    delete (globalThis as { EventSource?: unknown }).EventSource;
    jest.useRealTimers();
  });

  it('GETs same-origin with the session cookie and no body', async () => {
    fetchMock.mockReturnValue(answer(200, fx.statusConnected()));
    const status = await getStatus();
    expect(status.connection?.username).toBe('sync@acme.example');
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/status');
    expect(init).toMatchObject({ method: 'GET', credentials: 'same-origin' });
    expect(init.body).toBeUndefined();
  });

  it('sends JSON on every other method, an empty object when there is nothing to say', async () => {
    fetchMock.mockImplementation(() => answer(200, { revoked: true, instanceUrl: 'x' }));
    await disconnect();
    await startSync();
    await saveConfig({ intervalMinutes: 10 });
    const [[u1, i1], [u2, i2], [u3, i3]] = fetchMock.mock.calls;
    expect([u1, i1.method, i1.body, i1.headers['Content-Type']]).toEqual([
      '/api/connection',
      'DELETE',
      '{}',
      'application/json',
    ]);
    expect([u2, i2.method, i2.body]).toEqual(['/api/sync/start', 'POST', '{}']);
    expect([u3, i3.method, i3.body]).toEqual(['/api/config', 'PUT', '{"intervalMinutes":10}']);
  });

  it('returns the 202 sign-in answer of a web connect as it is', async () => {
    fetchMock.mockReturnValue(answer(202, { authorizeUrl: 'https://login/authorize' }));
    await expect(connect({ method: 'web', loginUrl: 'https://x', clientId: 'k' })).resolves.toEqual({
      authorizeUrl: 'https://login/authorize',
    });
  });

  it('unwraps the runs list', async () => {
    fetchMock.mockReturnValue(answer(200, { runs: fx.runs() }));
    const runs = await listRuns(50);
    expect(fetchMock.mock.calls[0][0]).toBe('/api/runs?limit=50');
    expect(runs.map((r) => r.runId)).toEqual([9, 8, 7, 6]);
  });

  it('throws the server’s ApiError on a non-2xx answer', async () => {
    fetchMock.mockReturnValue(
      answer(400, {
        error: {
          code: 'INVALID_CONFIG',
          message: 'Bad interval.',
          actions: ['Fix it.'],
          fields: [{ field: 'intervalMinutes', reason: 'Too big.' }],
        },
      }),
    );
    const err = await saveConfig({ intervalMinutes: 9999 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiRequestError);
    expect(err).toMatchObject({ status: 400, code: 'INVALID_CONFIG', message: 'Bad interval.', actions: ['Fix it.'] });
    expect((err as ApiRequestError).fields).toEqual([{ field: 'intervalMinutes', reason: 'Too big.' }]);
  });

  it('makes up an error when the body is not an ApiError', async () => {
    fetchMock.mockReturnValue(answer(502, '<html>proxy</html>'));
    await expect(getStatus()).rejects.toMatchObject({
      code: 'HTTP_502',
      message: 'The console server answered 502 Bad Gateway.',
    });
  });

  it('tells the listeners about a 401', async () => {
    const listener = jest.fn();
    const off = onUnauthorized(listener);
    fetchMock.mockReturnValue(answer(401, { error: { code: 'UNAUTHORIZED', message: 'No session.', actions: [] } }));
    await expect(getStatus()).rejects.toMatchObject({ status: 401 });
    expect(listener).toHaveBeenCalledTimes(1);
    off();
    await expect(getStatus()).rejects.toMatchObject({ status: 401 });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('subscribes to status events', () => {
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
    const onStatus = jest.fn();
    const stop = subscribe(onStatus);
    const source = FakeEventSource.last!;
    expect(source.url).toBe('/api/events');
    source.emit('status', fx.statusRunning());
    expect(onStatus.mock.calls[0][0].activity.runType).toBe('backfill');
    stop();
    expect(source.closed).toBe(true);
  });

  it('falls back to polling every 2 s after repeated event-stream errors', async () => {
    jest.useFakeTimers();
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
    fetchMock.mockImplementation(() => answer(200, fx.statusWaiting()));
    const onStatus = jest.fn();
    const stop = subscribe(onStatus, { maxErrors: 3 });
    const source = FakeEventSource.last!;
    source.emit('error');
    source.emit('status', fx.statusConnected()); // a success resets the count
    source.emit('error');
    source.emit('error');
    expect(fetchMock).not.toHaveBeenCalled();
    source.emit('error');
    expect(source.closed).toBe(true);
    await jest.advanceTimersByTimeAsync(0);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(2000);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(onStatus).toHaveBeenCalledTimes(3);
    stop();
    await jest.advanceTimersByTimeAsync(4000);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('polls at once when the browser gives the stream up (a 401 on /api/events)', async () => {
    jest.useFakeTimers();
    (globalThis as { EventSource?: unknown }).EventSource = FakeEventSource;
    const expired = jest.fn();
    const off = onUnauthorized(expired);
    fetchMock.mockImplementation(() => answer(401, { error: { code: 'UNAUTHORIZED', message: 'x', actions: [] } }));
    subscribe(jest.fn());
    const source = FakeEventSource.last!;
    source.readyState = 2;
    source.emit('error');
    await jest.advanceTimersByTimeAsync(0);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(expired).toHaveBeenCalledTimes(1);
    off();
  });

  it('stops polling on a 401 and reports an unreachable server', async () => {
    jest.useFakeTimers();
    const problems: Array<Error | null> = [];
    fetchMock.mockReturnValueOnce(Promise.reject(new TypeError('Failed to fetch')));
    fetchMock.mockReturnValueOnce(answer(401, { error: { code: 'UNAUTHORIZED', message: 'x', actions: [] } }));
    subscribe(jest.fn(), { onConnectionProblem: (p) => problems.push(p) });
    await jest.advanceTimersByTimeAsync(0);
    expect(problems[0]?.message).toBe('Failed to fetch');
    await jest.advanceTimersByTimeAsync(2000);
    await jest.advanceTimersByTimeAsync(10000);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});
