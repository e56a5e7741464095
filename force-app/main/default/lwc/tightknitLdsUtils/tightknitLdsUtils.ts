/**
 * Shared helpers for errors coming back from Apex, Lightning Data Service and plain JavaScript.
 * Every Tightknit component shows errors through `reduceErrors` and `c-tightknit-error-panel`.
 */

type ErrorBody = {
  message?: unknown;
  pageErrors?: { message?: unknown }[];
  fieldErrors?: Record<string, { message?: unknown }[]>;
  output?: { errors?: { message?: unknown }[]; fieldErrors?: Record<string, { message?: unknown }[]> };
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function messagesOf(list: unknown): string[] {
  if (!Array.isArray(list)) {
    return [];
  }
  return list
    .map((item: unknown) => (isRecord(item) && typeof item.message === 'string' ? item.message : ''))
    .filter((message) => message.length > 0);
}

function fieldMessages(fieldErrors: unknown): string[] {
  if (!isRecord(fieldErrors)) {
    return [];
  }
  return Object.values(fieldErrors).flatMap((list) => messagesOf(list));
}

function messagesOfBody(body: ErrorBody): string[] {
  const found = [
    ...messagesOf(body.pageErrors),
    ...fieldMessages(body.fieldErrors),
    ...messagesOf(body.output?.errors),
    ...fieldMessages(body.output?.fieldErrors),
  ];
  if (found.length > 0) {
    return found;
  }
  return typeof body.message === 'string' && body.message.length > 0 ? [body.message] : [];
}

function messagesOfError(error: unknown): string[] {
  if (typeof error === 'string') {
    return error.length > 0 ? [error] : [];
  }
  if (!isRecord(error)) {
    return [];
  }
  // UI API / Apex errors carry a body (an array for some UI API read errors).
  if (Array.isArray(error.body)) {
    return error.body.flatMap((body: unknown) => (isRecord(body) ? messagesOfBody(body as ErrorBody) : []));
  }
  if (isRecord(error.body)) {
    const fromBody = messagesOfBody(error.body as ErrorBody);
    if (fromBody.length > 0) {
      return fromBody;
    }
  }
  if (typeof error.message === 'string' && error.message.length > 0) {
    return [error.message];
  }
  if (typeof error.statusText === 'string' && error.statusText.length > 0) {
    return [error.statusText];
  }
  return [];
}

/**
 * Turns one error or a list of errors (Apex AuraHandledException, UI API, fetch, JS Error, string) into
 * a de-duplicated list of human-readable messages. Never throws.
 */
export function reduceErrors(errors: unknown): string[] {
  const list: unknown[] = Array.isArray(errors) ? errors : [errors];
  const messages = list.flatMap((error) => messagesOfError(error));
  return Array.from(new Set(messages));
}

/**
 * Fills `{0}`, `{1}` ... placeholders of a custom label. Missing arguments leave the placeholder empty.
 */
export function formatLabel(template: string, ...args: (string | number | null | undefined)[]): string {
  return template.replace(/\{(\d+)\}/g, (_match, index: string) => {
    const value = args[Number(index)];
    return value === null || value === undefined ? '' : String(value);
  });
}
