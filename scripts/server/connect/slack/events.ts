import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  countDelivery,
  emptyStats,
  type Delivery,
  type ReceiverStats,
} from '../../../sync/sources/slack/events/accept';
import { classifyEnvelope, type ParsedEnvelope } from '../../../sync/sources/slack/events/envelope';
import { verifySlackSignature } from '../../../sync/sources/slack/events/signature';
import { PgStore } from '../../store';
import { SLACK_SECRET } from '../../tenant-state/credentials';
import { deleteSecret, tenantOfTeam, unbindSlackTeam } from '../bindings';
import { header, readBody, sendJson, type ConnectContext } from '../http';
import { slackApp } from './install';

/** Events API payloads are a few kilobytes; anything far larger is not Slack. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The endpoint's running totals since the process started: the embedded receiver's, plus routing. */
export interface SlackEventCounts extends ReceiverStats {
  /** Signed events of a workspace no tenant has installed (or whose tenant was removed): answered 200, dropped. */
  unknownTeam: number;
  /** Signed events carrying another app's `api_app_id`: answered 200, dropped. */
  otherApp: number;
  /** `app_uninstalled` events: the workspace's token forgotten, the workspace unbound from its tenant. */
  uninstalled: number;
}

const counts: SlackEventCounts = { ...emptyStats(), unknownTeam: 0, otherApp: 0, uninstalled: 0 };

/** A copy of the totals, for metrics (every handler of the process adds to the same totals). */
export function slackEventCounts(): SlackEventCounts {
  return { ...counts };
}

function teamOf(payload: Record<string, unknown>, parsed: ParsedEnvelope): string | undefined {
  if (parsed.kind === 'event') return parsed.envelope.team_id;
  return typeof payload.team_id === 'string' ? payload.team_id : undefined;
}

/**
 * Stores one verified delivery in its tenant's inbox (committed when this returns, so an acknowledged
 * event is never lost and a retry with the same event id is stored once), the same records as the
 * embedded receiver: `inbox.add(envelope, rawBody)`, unknown types counted per tenant.
 */
async function accept(
  ctx: ConnectContext,
  payload: Record<string, unknown>,
  parsed: ParsedEnvelope,
  rawBody: string,
): Promise<Delivery | 'unknown-team' | 'other-app' | 'uninstalled'> {
  if (parsed.kind === 'url_verification') return { outcome: 'url-verification' };
  if (parsed.kind === 'malformed') return { outcome: 'malformed', cause: parsed.cause };
  if (parsed.kind === 'rate_limited') return { outcome: 'rate-limited', minuteRateLimited: parsed.minuteRateLimited };
  const appId = slackApp(ctx).appId;
  if (appId && payload.api_app_id !== appId) return 'other-app';
  const teamId = teamOf(payload, parsed);
  const tenant = teamId ? await tenantOfTeam(ctx.pool, teamId) : undefined;
  if (!tenant || tenant.status === 'removed') return 'unknown-team';
  const { inbox } = PgStore.open(ctx.pool, tenant.id, `tenant ${tenant.name}`);
  if (parsed.kind === 'other') {
    await inbox.noteUnknownType(`envelope:${parsed.type}`);
    return { outcome: 'unknown-type', type: parsed.type };
  }
  const { envelope } = parsed;
  if (envelope.event.type === 'app_uninstalled') {
    // The workspace removed the app: its token is dead. Forget it and free the workspace for a new install.
    await deleteSecret(ctx.pool, tenant.id, SLACK_SECRET);
    await unbindSlackTeam(ctx.pool, tenant.id);
    ctx.log?.({
      level: 'warn',
      event: 'slack-uninstalled',
      message: `The app was removed from workspace ${envelope.team_id}: its token is forgotten and the workspace unbound. Connect Slack again to resume.`,
      tenant: tenant.name,
    });
    return 'uninstalled';
  }
  if (!parsed.known) {
    await inbox.noteUnknownType(envelope.event.type);
    return { outcome: 'unknown-type', eventId: envelope.event_id, type: envelope.event.type };
  }
  const stored = await inbox.add(envelope, rawBody);
  return { outcome: stored ? 'stored' : 'duplicate', eventId: envelope.event_id, type: envelope.event.type };
}

/**
 * Slack waits three seconds for an answer, then retries. A database that stalls longer gets a 500 in
 * time instead (Slack retries, and a store that did finish meanwhile makes the retry a duplicate).
 */
const STORE_BUDGET_MS = 2_500;

async function withinBudget<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`storing took longer than ${STORE_BUDGET_MS} ms`)), STORE_BUDGET_MS);
  });
  // The work goes on after a timeout; its eventual failure must not be unhandled.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The JSON body as an object, or the cause it is not one. */
function parse(rawBody: string): { payload: Record<string, unknown>; parsed: ParsedEnvelope } {
  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    return { payload: {}, parsed: { kind: 'malformed', cause: 'the body is not valid JSON' } };
  }
  const parsed = classifyEnvelope(payload);
  return { payload: parsed.kind === 'malformed' ? {} : (payload as Record<string, unknown>), parsed };
}

/**
 * POST /slack/events for every workspace of the app: the signature and timestamp checked with the app's
 * one signing secret (the embedded receiver's check), `url_verification` answered, each event routed
 * by `team_id` to its tenant's inbox in PostgreSQL. Answers within Slack's three seconds: one lookup and
 * one insert; a database failure answers 500 so Slack retries.
 */
export async function receiveSlackEvent(ctx: ConnectContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const app = slackApp(ctx);
  const raw = await readBody(req, MAX_BODY_BYTES);
  if (raw === 'too-large') {
    counts.malformed += 1;
    return sendJson(res, 413, { error: 'payload too large' });
  }
  const verdict = verifySlackSignature({
    signingSecret: app.signingSecret,
    timestamp: header(req, 'x-slack-request-timestamp'),
    signature: header(req, 'x-slack-signature'),
    rawBody: raw,
  });
  if (!verdict.ok) {
    counts.rejected += 1;
    ctx.log?.({
      level: 'warn',
      event: 'slack-event-rejected',
      message: `Refused an events request (${verdict.reason}).`,
    });
    return sendJson(res, 401, { error: 'invalid Slack signature or timestamp' });
  }
  const rawBody = raw.toString('utf8');
  const { payload, parsed } = parse(rawBody);
  let delivery: Awaited<ReturnType<typeof accept>>;
  try {
    delivery = await withinBudget(accept(ctx, payload, parsed, rawBody));
  } catch (err) {
    counts.errors += 1;
    ctx.log?.({
      level: 'error',
      event: 'slack-event-store-error',
      message: `Could not store an event (${(err as Error).message}); answered 500 so Slack retries.`,
    });
    return sendJson(res, 500, { error: 'could not store the event; retry later' });
  }
  if (typeof delivery === 'string') {
    counts[
      ({ 'unknown-team': 'unknownTeam', 'other-app': 'otherApp', uninstalled: 'uninstalled' } as const)[delivery]
    ] += 1;
    return sendJson(res, 200, {});
  }
  countDelivery(counts, delivery);
  if (delivery.outcome === 'malformed')
    return sendJson(res, 400, { error: `malformed Events API payload: ${delivery.cause}` });
  if (parsed.kind === 'url_verification') return sendJson(res, 200, { challenge: parsed.challenge });
  sendJson(res, 200, {});
}
