import { randomBytes } from 'node:crypto';
import { WorkspaceState } from '../state/workspace';

export type SlackEvent = { type: string; event_ts: string } & Record<string, unknown>;

/** The Events API outer envelope (docs.slack.dev, Events API "Callback field overview"). */
export interface EventEnvelope {
  token: string;
  team_id: string;
  api_app_id: string;
  event: SlackEvent;
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: Array<{
    enterprise_id: null;
    team_id: string;
    user_id: string;
    is_bot: boolean;
    is_enterprise_install: boolean;
  }>;
  is_ext_shared_channel: boolean;
  event_context: string;
}

/** The deprecated verification token Slack still puts in envelopes; a fixed value here. */
const VERIFICATION_TOKEN = 'emulator-verification-token';

let counter = 0;

/** A unique event id shaped like Slack's ("Ev" + upper-case alphanumerics). */
function newEventId(): string {
  counter += 1;
  return `Ev${counter.toString(36).toUpperCase().padStart(4, '0')}${randomBytes(4).toString('hex').toUpperCase()}`;
}

export function envelope(ws: WorkspaceState, event: SlackEvent): EventEnvelope {
  return {
    token: VERIFICATION_TOKEN,
    team_id: ws.team.id,
    api_app_id: ws.bot.appId,
    event,
    type: 'event_callback',
    event_id: newEventId(),
    event_time: Number(event.event_ts.split('.')[0]),
    authorizations: [
      { enterprise_id: null, team_id: ws.team.id, user_id: ws.bot.userId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(`${ws.team.id}:${event.type}`).toString('base64url')}`,
  };
}
