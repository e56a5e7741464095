/**
 * An error answered the way the REST API answers errors: an HTTP status and a JSON array of
 * `{message, errorCode, fields?}` (REST API Developer Guide, "Status Codes and Error Responses").
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: string[],
  ) {
    super(message);
  }

  /** The response body. */
  body(): Array<{ message: string; errorCode: string; fields?: string[] }> {
    return [{ message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) }];
  }
}

/** 404 with the REST API's NOT_FOUND body. */
export function notFound(message = 'The requested resource does not exist'): ApiError {
  return new ApiError(404, 'NOT_FOUND', message);
}

/** An OAuth endpoint error: `{error, error_description}` (OAuth 2.0, RFC 6749 section 5.2). */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}
