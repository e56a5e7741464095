/** The Community source step's logic: the Slack form, its checks before sending, and the connected summary. */
import type { SlackConnectRequest, SlackEventsName, SlackWorkspaceView, SourceView } from 'tk/contract';
import { formatDateTime, formatInterval } from 'tk/format';
import type { FieldView } from 'tk/fieldList';
import { LABELS, fill } from 'tk/labels';

const L = LABELS.source;

export type SlackFieldName = 'botToken' | 'signingSecret' | 'appToken';
export type SlackForm = Record<SlackFieldName, string>;

const FIELDS: ReadonlyArray<{ name: SlackFieldName; dataId: string; label: string; help: string; required: boolean }> =
  [
    { name: 'botToken', dataId: 'slack-bot-token', label: L.botToken, help: L.botTokenHelp, required: true },
    {
      name: 'signingSecret',
      dataId: 'slack-signing-secret',
      label: L.signingSecret,
      help: L.signingSecretHelp,
      required: false,
    },
    { name: 'appToken', dataId: 'slack-app-token', label: L.appToken, help: L.appTokenHelp, required: false },
  ];

export function emptySlackForm(): SlackForm {
  return { botToken: '', signingSecret: '', appToken: '' };
}

/** The inputs: password type, never autocompleted or remembered by the browser. */
export function slackFieldViews(form: SlackForm, errors: Partial<Record<string, string>>): FieldView[] {
  return FIELDS.map((f) => ({
    ...f,
    inputId: `tk-src-${f.dataId}`,
    type: 'password',
    autocomplete: 'off',
    value: form[f.name],
    error: errors[f.name] ?? '',
  }));
}

/** Checks before sending (the server checks again); the messages never repeat the value. */
export function validateSlack(form: SlackForm): Partial<Record<SlackFieldName, string>> {
  const errors: Partial<Record<SlackFieldName, string>> = {};
  const bot = form.botToken.trim();
  if (!bot) errors.botToken = LABELS.connection.errors.required;
  else if (!bot.startsWith('xoxb-')) errors.botToken = L.errors.botToken;
  const app = form.appToken.trim();
  if (app && !app.startsWith('xapp-')) errors.appToken = L.errors.appToken;
  return errors;
}

/** The POST /api/slack body: the bot token and whichever of the other two were given, trimmed. */
export function buildSlackRequest(form: SlackForm): SlackConnectRequest {
  const req: SlackConnectRequest = { botToken: form.botToken.trim() };
  if (form.signingSecret.trim()) req.signingSecret = form.signingSecret.trim();
  if (form.appToken.trim()) req.appToken = form.appToken.trim();
  return req;
}

export function workspaceRows(w: SlackWorkspaceView): Array<{ key: string; label: string; value: string }> {
  const stored = [w.hasSigningSecret && L.signingSecretStored, w.hasAppToken && L.appTokenStored].filter(
    (x): x is string => typeof x === 'string',
  );
  return [
    { key: 'workspace', label: L.workspace, value: w.domain ? `${w.teamName} (${w.domain}.slack.com)` : w.teamName },
    { key: 'teamId', label: L.teamId, value: w.teamId },
    { key: 'since', label: L.since, value: formatDateTime(w.connectedAt) },
    { key: 'credentials', label: L.credentials, value: stored.length ? stored.join(', ') : L.credentialsNone },
  ];
}

const EVENT_MODES: SlackEventsName[] = ['off', 'http', 'socket-mode'];

/** The three ways new activity arrives, as radio options. */
export function eventOptions(selected: SlackEventsName, intervalMinutes: number) {
  return EVENT_MODES.map((mode) => ({
    value: mode,
    dataId: `slack-events-${mode}`,
    inputId: `tk-src-events-${mode}`,
    label: fill(L.events[mode], { interval: formatInterval(intervalMinutes) }),
    checked: mode === selected,
  }));
}

/** What the chosen mode needs that is missing, else its help. */
export function eventsHelp(mode: SlackEventsName, w: SlackWorkspaceView): { text: string; missing: boolean } {
  if (mode === 'http' && !w.hasSigningSecret) return { text: L.needsSigningSecret, missing: true };
  if (mode === 'socket-mode' && !w.hasAppToken) return { text: L.needsAppToken, missing: true };
  return { text: L.eventsHelp[mode], missing: false };
}

export function keptText(kept: Array<'signingSecret' | 'appToken'>): string {
  return kept.length ? fill(L.kept, { what: kept.map((k) => L.keptNames[k]).join(', ') }) : '';
}

export function receivingText(source: SourceView | null): string {
  return source?.receiving ? fill(L.status.receiving, { where: source.receiving }) : '';
}
