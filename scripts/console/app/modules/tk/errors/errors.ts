/** The console's one error shape: what the server's ApiError carries, for any failure. */
import type { ApiError, FieldError } from 'tk/contract';

export type ErrorInfo = ApiError['error'];

/** A non-2xx answer from the console API, carrying the server's ApiError body. */
export class ApiRequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly actions: string[];
  readonly fields: FieldError[];

  constructor(status: number, body: ErrorInfo) {
    super(body.message);
    this.name = 'ApiRequestError';
    this.status = status;
    this.code = body.code;
    this.actions = body.actions ?? [];
    this.fields = body.fields ?? [];
  }
}

function isErrorInfo(value: unknown): value is ErrorInfo {
  const v = value as ErrorInfo | null;
  return !!v && typeof v === 'object' && typeof v.code === 'string' && typeof v.message === 'string';
}

/** Turns anything thrown (an ApiRequestError, a network TypeError, a string) into one ErrorInfo. */
export function reduceError(err: unknown): ErrorInfo {
  if (err instanceof ApiRequestError) {
    return { code: err.code, message: err.message, actions: err.actions, fields: err.fields };
  }
  if (isErrorInfo(err)) return { ...err, actions: err.actions ?? [] };
  const wrapped = (err as ApiError | null)?.error;
  if (isErrorInfo(wrapped)) return { ...wrapped, actions: wrapped.actions ?? [] };
  if (err instanceof Error) {
    return {
      code: 'NETWORK',
      message: `The console server could not be reached (${err.message}).`,
      actions: ['Check that `tightknit-sync console` is still running in its terminal, then try again.'],
    };
  }
  return { code: 'UNKNOWN', message: String(err), actions: [] };
}

/** The field errors of a 400, keyed by request path (`intervalMinutes`, `engagement.weights.other`). */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of reduceError(err).fields ?? []) out[f.field] = out[f.field] ? `${out[f.field]} ${f.reason}` : f.reason;
  return out;
}
