import { OrgRefusedError, TightknitError } from '../errors';

/** A REST or Bulk API call that Salesforce answered with an error (or that never got an answer). */
export class SalesforceApiError extends TightknitError {
  /** HTTP status, or 0 when the connection failed before an answer. */
  readonly status: number;

  constructor(status: number, code: string, message: string, cause?: unknown) {
    super(code, message, 1, { cause });
    this.status = status;
  }
}

/** The org's daily API request allowance is used up: the run stops and says when to try again. */
export class RequestLimitError extends OrgRefusedError {
  /** The earliest time a retry is worth trying (usage is counted over a rolling 24 hours). */
  readonly retryAfter: Date;

  constructor(message: string, retryAfter: Date) {
    super('REQUEST_LIMIT_EXCEEDED', message, {
      actions: [
        `Run the sync again after ${retryAfter.toISOString()} (the org counts API requests over a rolling 24 hours).`,
        'Check usage in Setup → Company Information → API Requests, Last 24 Hours, or ask Salesforce for a higher allowance.',
      ],
    });
    this.retryAfter = retryAfter;
  }
}

/** One element of Salesforce's REST error envelope (`[{ errorCode, message, fields }]`). */
export interface RestErrorBody {
  errorCode: string;
  message: string;
  fields?: string[];
}

/** Reads Salesforce's error envelope, which is a JSON array (sometimes a single object) of errorCode/message. */
export function parseRestError(text: string): RestErrorBody | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    const first: unknown = Array.isArray(parsed) ? parsed[0] : parsed;
    if (first && typeof first === 'object') {
      const o = first as Record<string, unknown>;
      const code = o.errorCode ?? o.error;
      const message = o.message ?? o.error_description;
      if (typeof code === 'string') {
        return {
          errorCode: code,
          message: typeof message === 'string' ? message : code,
          fields: Array.isArray(o.fields) ? o.fields.map(String) : undefined,
        };
      }
    }
  } catch {
    // not JSON: the caller falls back to the raw text
  }
  return undefined;
}

/** The fix for a session the org no longer accepts. */
export const RECONNECT = 'Run `tightknit-sync connect` again to authorize the org.';

/**
 * Answers that end the run as a refusal of the org (exit 3), whatever the call was: a session refused
 * (after the one renewal), and the org's daily API allowance used up. Every other error answer becomes a
 * SalesforceApiError with Salesforce's errorCode and message (SalesforceHttp.send).
 */
export function refusalOf(
  status: number,
  body: RestErrorBody | undefined,
  text: string,
  reconnect = RECONNECT,
): OrgRefusedError | undefined {
  if (status === 401) {
    return new OrgRefusedError(
      body?.errorCode ?? 'INVALID_SESSION_ID',
      `Salesforce refused the session: ${body?.message ?? text}`,
      { actions: [reconnect] },
    );
  }
  if (status === 403 && body?.errorCode === 'REQUEST_LIMIT_EXCEEDED') {
    const retryAfter = new Date(Date.now() + 60 * 60_000);
    return new RequestLimitError(
      `The org has used up its API request allowance (REQUEST_LIMIT_EXCEEDED: ${body.message}). The run stopped; nothing was lost.`,
      retryAfter,
    );
  }
  return undefined;
}
