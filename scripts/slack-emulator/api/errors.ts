/**
 * A Web API refusal: HTTP 200 with `{ok:false, error}` plus any documented extra fields
 * (missing_scope carries `needed` and `provided`). Slack uses no other status but 429.
 */
export class SlackApiError extends Error {
  constructor(
    readonly error: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(error);
  }
}
