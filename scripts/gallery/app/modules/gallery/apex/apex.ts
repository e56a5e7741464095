/**
 * `@salesforce/apex/Class.method` for the gallery: the imported function calls the gallery server's
 * stand-in imperatively, and is also a wire adapter (its `adapter` property, which the LWC engine uses
 * for callable adapters). Errors arrive as Aura delivers them: `{ body: { message }, status, ok: false }`.
 */

type Params = Record<string, unknown>;
type DataCallback = (value: { data: unknown; error: unknown }) => void;

interface AuraError {
  body: { message: string; exceptionType?: string; isUserDefinedException: boolean; stackTrace: string };
  headers: Record<string, string>;
  ok: false;
  status: number;
  statusText: string;
}

async function call(className: string, method: string, params: Params = {}): Promise<unknown> {
  // The page's own query (component, state, width) tells the server whose answer this is.
  const res = await fetch(`/api/apex/${className}.${method}${window.location.search}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(params),
  });
  const body = (await res.json()) as {
    state?: 'SUCCESS' | 'ERROR';
    returnValue?: unknown;
    error?: { message: string; exceptionType: string };
    message?: string;
  };
  if (res.ok && body.state === 'SUCCESS') return body.returnValue;
  const error: AuraError = {
    body: {
      message: body.error?.message ?? body.message ?? res.statusText,
      exceptionType: body.error?.exceptionType,
      isUserDefinedException: body.error?.exceptionType === 'System.AuraHandledException',
      stackTrace: '',
    },
    headers: {},
    ok: false,
    status: 500,
    statusText: 'Server Error',
  };
  throw error;
}

/** The default export of one `@salesforce/apex/Class.method` module. */
export function apexMethod(
  className: string,
  method: string,
): ((params?: Params) => Promise<unknown>) & {
  adapter: new (callback: DataCallback) => { connect(): void; disconnect(): void; update(config: Params): void };
} {
  const imperative = (params?: Params): Promise<unknown> => call(className, method, params);
  class ApexWireAdapter {
    private connected = false;
    private version = 0;
    private readonly callback: DataCallback;
    constructor(callback: DataCallback) {
      this.callback = callback;
    }
    connect(): void {
      this.connected = true;
    }
    disconnect(): void {
      this.connected = false;
    }
    update(config: Params): void {
      // A later config wins, as LDS drops answers to superseded requests.
      const mine = ++this.version;
      // Like the platform's Apex adapter: no call while a reactive parameter is still undefined.
      if (Object.values(config).some((value) => value === undefined)) return;
      call(className, method, config).then(
        (data) => {
          if (this.connected && mine === this.version) this.callback({ data, error: undefined });
        },
        (error: unknown) => {
          if (this.connected && mine === this.version) this.callback({ data: undefined, error });
        },
      );
    }
  }
  return Object.assign(imperative, { adapter: ApexWireAdapter });
}
