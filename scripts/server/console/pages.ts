import { OBJECT_KINDS, type RunListItem } from '../../sync';
import type { Operation } from '../people/authorization';
import { csrf, esc, page } from '../people/http/pages';
import type { Principal } from '../people/sessions';
import type { VersionedConfig } from '../tenant-state/config';
import type { tenantHistory, TenantListItem, TenantStatusView } from './view';

/** `1 h 5 min`, `42 s`: how long, for a person. */
function ago(seconds: number | null): string {
  if (seconds === null) return 'never synced';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

const when = (at: string | null | undefined): string => (at ? esc(at.replace('T', ' ').slice(0, 19)) : '—');

const runClass = (status: string): string =>
  status === 'Succeeded' ? 'ok' : status === 'Failed' || status === 'PartiallyFailed' ? 'bad' : 'warn';

/** The operator's form for a new tenant (or bringing back a removed one of that name). */
function addTenantForm(who: Principal): string {
  return `<h2>Add a tenant</h2>
<form method="post" action="/api/tenants" data-id="add-tenant-form">${csrf(who.csrfToken)}
<label>Name (lower-case letters, digits, hyphens) <input name="name" required autocomplete="off"></label>
<label>Community name (optional, until its first sync reads it) <input name="community" autocomplete="off"></label>
<button>Add tenant</button></form>
<p>A removed tenant's name brings it back, with the data it kept.</p>`;
}

/**
 * The operator's removal of one tenant, behind a confirmation: what removing does, what deleting the
 * data means, and the name typed again (the server checks it too).
 */
function removeTenantForm(who: Principal, name: string): string {
  return `<details data-id="remove-${esc(name)}"><summary>Remove…</summary>
<form method="post" action="/api/tenants/${esc(name)}/remove">${csrf(who.csrfToken)}
<p>Removing takes <strong>${esc(name)}</strong> out of service: its Salesforce and Slack tokens are revoked, no run
is scheduled, and its people can no longer open it. Its data is kept: adding the name again brings it back.</p>
<label><input type="checkbox" name="deleteData"> Also delete all its data: its runs and history, the links
between members and Salesforce records, its configuration, its people's roles in it and its own audit rows.
This cannot be undone.</label>
<label>Type the tenant's name to confirm <input name="confirm" required autocomplete="off"></label>
<button>Remove tenant ${esc(name)}</button></form></details>`;
}

/**
 * The tenants a person may open, with what an operator scans first: status, last run, lag. An operator
 * (`manage`) also gets the form to add a tenant and, on each row, the one to remove it.
 */
export function tenantListPage(
  who: Principal,
  tenants: TenantListItem[],
  manage: { add: boolean; remove: boolean } = { add: false, remove: false },
  message: { notice?: string; error?: string } = {},
): string {
  const rows = tenants
    .map(
      (
        t,
      ) => `<tr data-id="tenant-${esc(t.name)}"><td>${t.role ? `<a href="/tenants/${esc(t.name)}">${esc(t.name)}</a>` : esc(t.name)}</td>
<td class="${/^(Needs|Last run|Waiting)/.test(t.state) ? 'bad' : 'ok'}" data-id="state">${esc(t.state)}</td>
<td>${esc(t.community ?? '—')}</td><td>${esc(t.org ?? '—')}</td><td>${esc(t.status)}</td>
<td>${t.lastRun ? `<span class="${runClass(t.lastRun.status)}">#${t.lastRun.id} ${esc(t.lastRun.type)} ${esc(t.lastRun.status)}</span> ${when(t.lastRun.startedAt)}` : '—'}</td>
<td>${esc(ago(t.lagSeconds))}</td><td>${esc(t.role ?? 'operator (no tenant role)')}</td>${manage.remove ? `<td>${removeTenantForm(who, t.name)}</td>` : ''}</tr>`,
    )
    .join('');
  const empty = tenants.length
    ? ''
    : manage.add
      ? '<p>No tenants yet: add the first below.</p>'
      : '<p>You hold no role in any tenant. Ask a tenant admin for an invitation, or the operator to add a tenant.</p>';
  return page(
    'Tenants',
    `${empty}<table data-id="tenants"><thead><tr><th>Tenant</th><th>State</th><th>Community</th><th>Org</th><th>Status</th><th>Last run (UTC)</th><th>Behind by</th><th>Your role</th>${manage.remove ? '<th></th>' : ''}</tr></thead><tbody>${rows}</tbody></table>
${manage.add ? addTenantForm(who) : ''}`,
    { who, ...message },
  );
}

/** One action button: a form posting to the tenant's API with the CSRF token. */
function action(who: Principal, tenant: string, path: string, label: string, extra = '', id = path): string {
  return `<form method="post" action="/api/tenants/${esc(tenant)}/${path}" data-id="action-${id}">${csrf(who.csrfToken)}${extra}<button>${esc(label)}</button></form>`;
}

function statusBox(v: TenantStatusView): string {
  const bad = v.deadLetters.length > 0 || /^(Needs|Last run|Retrying|Not scheduled)/.test(v.state);
  const facts = [
    ['Status', esc(v.tenant.status)],
    ['Community', esc(v.tenant.community ?? '—')],
    ['Org', esc(v.tenant.org ?? 'not connected')],
    [
      'Schedule',
      v.schedule
        ? `${v.schedule.enabled ? 'on' : 'off'}, every ${v.schedule.intervalMinutes} min; next due ${when(v.schedule.nextDueAt)}`
        : 'never started',
    ],
    ['Behind by', esc(ago(v.lagSeconds))],
    ['Queued', v.queued.length ? v.queued.map((q) => `${esc(q.type)} (${esc(q.state)})`).join(', ') : 'nothing'],
  ];
  return `<p class="state ${bad ? 'bad' : 'ok'}" data-id="state">${esc(v.state)}</p>
${v.nextStep ? `<p class="next" data-id="next-step"><strong>What to do:</strong> ${esc(v.nextStep)}</p>` : ''}
<dl class="facts">${facts.map(([k, d]) => `<dt>${k}</dt><dd>${d}</dd>`).join('')}</dl>`;
}

function deadLetterTable(v: TenantStatusView): string {
  if (v.deadLetters.length === 0) return '';
  return `<h2>Failed for good (dead-lettered)</h2><p>These runs will not be tried again on their own. Each message says the fix; once it is made, sync now.</p>
<table data-id="dead-letters"><thead><tr><th>When (UTC)</th><th>Run type</th><th>Job</th><th>What went wrong, and the fix</th></tr></thead><tbody>${v.deadLetters
    .map(
      (d) =>
        `<tr><td>${when(d.failedAt)}</td><td>${esc(d.type)}</td><td><code>${esc(d.jobId)}</code></td><td>${esc(d.message)}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

const PLURAL: Record<(typeof OBJECT_KINDS)[number], string> = {
  community: 'Communities',
  member: 'Members',
  activity: 'Activities',
};

/** `ok/failed/held` of one object in one run. */
function counts(r: RunListItem, o: (typeof OBJECT_KINDS)[number]): string {
  const c = r.objects[o];
  return c.processed === 0 && c.heldBack === 0 ? '—' : `${c.succeeded + c.deleted}/${c.failed}/${c.heldBack}`;
}

function runTable(who: Principal, tenant: string, runs: RunListItem[], mayRetry: boolean): string {
  if (runs.length === 0) return '<p>No runs yet.</p>';
  const rows = runs.map((r) => {
    const failed = OBJECT_KINDS.some((o) => r.objects[o].failed > 0);
    const retry =
      mayRetry && failed
        ? action(
            who,
            tenant,
            'retry',
            `Retry run ${r.runId}`,
            `<input type="hidden" name="runId" value="${r.runId}">`,
            `retry-${r.runId}`,
          )
        : '';
    return `<tr data-id="run-${r.runId}"><td><a href="/tenants/${esc(tenant)}/investigate?run=${r.runId}">${r.runId}</a></td><td>${esc(r.type)}${r.retryOf ? ` of ${r.retryOf}` : ''}</td>
<td class="${runClass(r.status)}">${esc(r.status)}</td><td>${when(r.startedAt)}</td><td>${when(r.finishedAt)}</td>
${OBJECT_KINDS.map((o) => `<td>${counts(r, o)}</td>`).join('')}<td>${esc(r.message ?? '')}</td><td>${retry}</td></tr>`;
  });
  return `<table data-id="runs"><thead><tr><th>Run</th><th>Type</th><th>Status</th><th>Started (UTC)</th><th>Finished</th>${OBJECT_KINDS.map((o) => `<th>${PLURAL[o]}</th>`).join('')}<th>Message</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>
<p>Counts are succeeded/failed/held back. The run number opens its investigation: failed records by error, with the fix.</p>`;
}

function configSection(who: Principal, tenant: string, read: VersionedConfig, mayConfigure: boolean): string {
  const c = read.config;
  const box = (name: 'createContacts' | 'matchLeads' | 'activityMetadata', label: string): string =>
    `<input type="hidden" name="has_${name}" value="1"><label><input type="checkbox" name="${name}"${c[name] ? ' checked' : ''}> ${label}</label>`;
  const summary = `<dl class="facts" data-id="config"><dt>Version</dt><dd>${read.version}</dd><dt>Interval</dt><dd>every ${c.intervalMinutes} min</dd>
<dt>Create Contacts</dt><dd>${c.createContacts ? 'on' : 'off'}</dd><dt>Match Leads</dt><dd>${c.matchLeads ? 'on' : 'off'}</dd>
<dt>Activity Metadata</dt><dd>${c.activityMetadata ? 'on' : 'off'}</dd></dl>`;
  if (!mayConfigure) return `<h2>Configuration</h2>${summary}`;
  return `<h2>Configuration</h2>${summary}
<form method="post" action="/tenants/${esc(tenant)}/configuration" data-id="configure-form">${csrf(who.csrfToken)}
<input type="hidden" name="version" value="${read.version}">
<label>Sync interval (minutes, 1–1440) <input name="intervalMinutes" inputmode="numeric" value="${c.intervalMinutes}"></label>
${box('createContacts', 'Create a Contact for members no Contact matches')}
${box('matchLeads', 'Also match members to Leads')}
${box('activityMetadata', 'Write Activity Metadata on activities')}
<button>Save configuration</button></form>`;
}

export interface TenantPageData {
  who: Principal;
  view: TenantStatusView;
  history: Awaited<ReturnType<typeof tenantHistory>>;
  config: VersionedConfig;
  /** The operations the person may use in this tenant: only their buttons are shown (the server still checks). */
  allowed: Operation[];
  /** serve mounted the browser connect routes: a person allowed `connect` gets links to start them. */
  connectRoutes: boolean;
  /** Which connections hold a stored token: the ones a person allowed to may disconnect. */
  connections: { salesforce: boolean; slack: boolean };
  notice?: string;
  error?: string;
}

/** The owner's form for taking the tenant out of service (the name repeated; the data kept unless ticked). */
function deleteSection(who: Principal, tenant: string): string {
  return `<h2>Delete this tenant</h2>
<form method="post" action="/api/tenants/${esc(tenant)}/delete" data-id="delete-form">${csrf(who.csrfToken)}
<label>Type the tenant's name to confirm <input name="confirm" autocomplete="off"></label>
<label><input type="checkbox" name="deleteData"> Also delete all its data (cannot be undone)</label>
<button>Delete tenant</button></form>`;
}

/**
 * A disconnect form of the connect routes (`POST /connect/<what>/disconnect?tenant=`), behind a
 * confirmation that says what disconnecting does; the CSRF token in the `csrf` field, as every form.
 */
function disconnectForm(who: Principal, tenant: string, what: 'salesforce' | 'slack'): string {
  const effect =
    what === 'salesforce'
      ? 'The org’s token is revoked at Salesforce and forgotten here: no sync runs until the org is connected again. Nothing in the org is deleted.'
      : 'The bot token is revoked in the Slack workspace and forgotten here: Slack events stop until the app is installed again.';
  const label = what === 'salesforce' ? 'Salesforce' : 'Slack';
  return `<details data-id="disconnect-${what}"><summary>Disconnect ${label}…</summary>
<form method="post" action="/connect/${what}/disconnect?tenant=${esc(encodeURIComponent(tenant))}">${csrf(who.csrfToken)}
<p>${esc(effect)}</p><label><input type="checkbox" name="confirm" required> Disconnect ${label} from ${esc(tenant)}</label>
<button>Disconnect ${label}</button></form></details>`;
}

/**
 * The connect routes' part of the page: links to start the browser connect flows (GET) and, for a
 * connection that holds a token, its disconnect form, each for a role the table allows.
 */
function connectSection(d: TenantPageData, can: (op: Operation) => boolean): string {
  const tenant = d.view.tenant.name;
  const q = `tenant=${encodeURIComponent(tenant)}`;
  const links = [
    can('connect')
      ? `<a href="/connect/salesforce/start?${esc(q)}" data-id="connect-salesforce">Connect Salesforce</a>`
      : '',
    can('slack.install') ? `<a href="/connect/slack/start?${esc(q)}" data-id="connect-slack">Connect Slack</a>` : '',
  ].filter(Boolean);
  const forms = [
    can('disconnect') && d.connections.salesforce ? disconnectForm(d.who, tenant, 'salesforce') : '',
    can('slack.disconnect') && d.connections.slack ? disconnectForm(d.who, tenant, 'slack') : '',
  ].join('');
  return `${links.length ? `<p class="actions" data-id="connect">${links.join(' · ')}</p>` : ''}${forms}`;
}

/** A tenant at a glance: what is wrong, what to do, the buttons the person's role allows, the last runs. */
export function tenantPage(d: TenantPageData): string {
  const { who, view: v } = d;
  const name = v.tenant.name;
  const can = (op: Operation): boolean => d.allowed.includes(op);
  const buttons = [
    can('sync') ? action(who, name, 'sync', 'Sync now') : '',
    can('sync')
      ? action(who, name, 'sync', 'Backfill now', '<input type="hidden" name="backfill" value="on">', 'backfill')
      : '',
    can('rematch') ? action(who, name, 'rematch', 'Rematch members') : '',
    can('start') && !v.schedule?.enabled ? action(who, name, 'start', 'Start schedule') : '',
    can('pause') && v.tenant.status === 'active' ? action(who, name, 'pause', 'Pause') : '',
    can('resume') && v.tenant.status === 'paused' ? action(who, name, 'resume', 'Resume') : '',
  ].join('');
  const waiting = d.history.waiting.length
    ? `<h2>Waiting records</h2><ul>${d.history.waiting.map((w) => `<li>${w.count} ${esc(w.object)} record(s): ${esc(w.reason)}</li>`).join('')}</ul>`
    : '';
  const events = d.history.events.length
    ? `<h2>Events</h2><ul data-id="events">${d.history.events.map((e) => `<li>${when(e.at)} ${esc(e.type)}: ${esc(e.message)}</li>`).join('')}</ul>`
    : '';
  return page(
    `Tenant ${name}`,
    `${statusBox(v)}${buttons ? `<div class="actions" data-id="actions">${buttons}</div>` : ''}
${d.connectRoutes ? connectSection(d, can) : ''}${deadLetterTable(v)}<h2>Last runs</h2>${runTable(who, name, d.history.runs, can('retry'))}${waiting}${events}
${configSection(who, name, d.config, can('configure'))}${can('tenant.delete') ? deleteSection(who, name) : ''}`,
    { who, notice: d.notice, error: d.error },
  );
}
