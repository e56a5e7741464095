import type { AuditRow } from '../audit';
import { OPERATIONS, type Operation } from '../authorization';
import type { InvitationView } from '../invitations';
import type { Membership } from '../people';
import { TENANT_ROLES } from '../roles';
import type { Principal } from '../sessions';
import { refusal } from '../access';

/** HTML-escapes text for element content and attribute values. */
export function esc(value: string | number | null | undefined): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const can = (who: Principal, op: Operation): boolean => refusal(who, op) === null;

export const csrf = (token: string): string => `<input type="hidden" name="csrf" value="${esc(token)}">`;

function nav(who: Principal): string {
  const links = [
    '<a href="/tenants">Tenants</a>',
    can(who, 'people.list') ? '<a href="/people">People</a>' : '',
    can(who, 'audit.list') ? '<a href="/audit">Audit trail</a>' : '',
  ].join(' ');
  const switcher =
    who.tenants.length > 1
      ? `<form method="post" action="/api/session/tenant" class="inline">${csrf(who.csrfToken)}
           <label>Tenant <select name="tenant">${who.tenants.map((t) => `<option${t.id === who.tenant?.id ? ' selected' : ''}>${esc(t.name)}</option>`).join('')}</select></label>
           <button>Switch</button></form>`
      : '';
  const where = who.tenant
    ? `${esc(who.tenant.role)} in <strong>${esc(who.tenant.name)}</strong>`
    : who.operator
      ? 'operator'
      : 'no role';
  return `<nav><span data-id="who">${esc(who.email)} · ${where}</span> ${links} ${switcher}
    <form method="post" action="/signout" class="inline">${csrf(who.csrfToken)}<button>Sign out</button></form>
    <form method="post" action="/signout-everywhere" class="inline">${csrf(who.csrfToken)}<button>Sign out everywhere</button></form></nav>`;
}

/** A whole page: its title, the navigation of a signed-in person, a notice and the content. */
export function page(
  title: string,
  content: string,
  opts: { who?: Principal; notice?: string; error?: string } = {},
): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${esc(title)} · Tightknit sync</title><link rel="stylesheet" href="/people/people.css"></head>
<body><header><h1>${esc(title)}</h1>${opts.who ? nav(opts.who) : ''}</header><main>
${opts.notice ? `<p class="notice" role="status" data-id="notice">${esc(opts.notice)}</p>` : ''}
${opts.error ? `<p class="error" role="alert" data-id="error">${esc(opts.error)}</p>` : ''}
${content}</main></body></html>`;
}

/** The sign-in page: SSO (when configured) and email + password. */
export function signInPage(formToken: string, sso: boolean, error?: string): string {
  return page(
    'Sign in',
    `${sso ? '<p><a class="button" data-id="sso" href="/auth/oidc/start">Sign in with your identity provider (SSO)</a></p><p>or</p>' : ''}
<form method="post" action="/signin" data-id="password-form">${csrf(formToken)}
  <label>Email <input type="email" name="email" autocomplete="username" required></label>
  <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
  <button>Sign in</button></form>`,
    { error },
  );
}

/** The page of a one-time password link. */
export function passwordPage(formToken: string, token: string, error?: string): string {
  return page(
    'Set your password',
    `<form method="post" action="/password/${esc(token)}">${csrf(formToken)}
  <label>New password (at least 12 characters, not a common one) <input type="password" name="password" autocomplete="new-password" required minlength="12"></label>
  <button>Set password and sign in</button></form>`,
    { error },
  );
}

/** The page of an invitation link. */
export function invitationPage(
  formToken: string,
  token: string,
  inv: { email: string; tenant: string; role: string },
  sso: boolean,
  error?: string,
): string {
  return page(
    'Invitation',
    `<p>You are invited to <strong>${esc(inv.tenant)}</strong> as <strong>${esc(inv.role)}</strong>, as ${esc(inv.email)}. Sign in as that address to accept.</p>
${sso ? `<p><a class="button" href="/auth/oidc/start?invitation=${encodeURIComponent(token)}">Accept with your identity provider (SSO)</a></p><p>or</p>` : ''}
<form method="post" action="/invitations/${esc(token)}">${csrf(formToken)}
  <label>Your password (a new one if you have none here yet: at least 12 characters) <input type="password" name="password" autocomplete="new-password" required></label>
  <button>Accept</button></form>`,
    { error },
  );
}

function memberRow(who: Principal, m: Membership): string {
  const token = csrf(who.csrfToken);
  const hidden = `<input type="hidden" name="email" value="${esc(m.email)}">`;
  const roles = TENANT_ROLES.map((r) => `<option${r === m.role ? ' selected' : ''}>${r}</option>`).join('');
  const actions = [
    can(who, 'people.set-role')
      ? `<form method="post" action="/api/people/role" class="inline">${token}${hidden}<label><span class="sr">Role of ${esc(m.email)}</span> <select name="role">${roles}</select></label><button>Change role</button></form>`
      : '',
    can(who, 'people.remove')
      ? `<form method="post" action="/api/people/remove" class="inline">${token}${hidden}<button>Remove</button></form>`
      : '',
    can(who, 'people.password-link')
      ? `<form method="post" action="/api/people/password-link" class="inline">${token}${hidden}<button>Password link</button></form>`
      : '',
  ].join(' ');
  return `<tr><td>${esc(m.email)}</td><td data-id="role">${esc(m.role)}</td><td>${m.hasPassword ? 'password' : 'SSO or link'}</td><td>${actions}</td></tr>`;
}

/** The people of the session's tenant, with the controls the person's role allows. */
export function peoplePage(
  who: Principal,
  people: Membership[],
  invitations: InvitationView[],
  notice?: string,
): string {
  const invite = can(who, 'people.invite')
    ? `<h2>Invite someone</h2><form method="post" action="/api/people/invitations" data-id="invite-form">${csrf(who.csrfToken)}
  <label>Email <input type="email" name="email" required></label>
  <label>Role <select name="role">${TENANT_ROLES.map((r) => `<option${r === 'viewer' ? ' selected' : ''}>${r}</option>`).join('')}</select></label>
  <button>Invite</button></form>`
    : '';
  const invites = invitations.length
    ? `<h2>Invitations</h2><table><thead><tr><th>Email</th><th>Role</th><th>Invited by</th><th>Status</th></tr></thead><tbody>${invitations
        .map(
          (i) =>
            `<tr><td>${esc(i.email)}</td><td>${esc(i.role)}</td><td>${esc(i.invitedBy)}</td><td>${i.acceptedAt ? `accepted ${esc(i.acceptedAt)}` : `open until ${esc(i.expiresAt)}`}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  return page(
    `People of ${who.tenant?.name ?? ''}`,
    `<table data-id="people"><thead><tr><th>Email</th><th>Role</th><th>Sign-in</th><th>Actions</th></tr></thead><tbody>${people.map((m) => memberRow(who, m)).join('')}</tbody></table>${invite}${invites}`,
    { who, notice },
  );
}

/** The audit trail with its filters. */
export function auditPage(
  who: Principal,
  rows: AuditRow[],
  filter: { since?: string; actor?: string; action?: string },
): string {
  const form = `<form method="get" action="/audit" class="filters">
  <label>Since <input name="since" value="${esc(filter.since)}" placeholder="7d or 2026-12-01"></label>
  <label>Actor <input name="actor" value="${esc(filter.actor)}"></label>
  <label>Action <input name="action" value="${esc(filter.action)}"></label><button>Filter</button></form>`;
  const body = rows
    .map(
      (r) =>
        `<tr><td>${esc(r.at)}</td><td>${esc(r.actor)}</td><td>${esc(r.action)}</td><td>${esc(r.ip)}</td><td><code>${esc(JSON.stringify(r.details))}</code></td></tr>`,
    )
    .join('');
  return page(
    `Audit trail of ${who.tenant?.name ?? ''}`,
    `${form}<table data-id="audit"><thead><tr><th>When</th><th>Who</th><th>What</th><th>From</th><th>Details</th></tr></thead><tbody>${body}</tbody></table>`,
    { who },
  );
}

/** The home page after sign-in: what this person may do here. */
export function homePage(who: Principal): string {
  const allowed = OPERATIONS.filter((op) => can(who, op));
  return page('Signed in', `<p>You may: <span data-id="allowed">${allowed.map(esc).join(', ')}</span>.</p>`, { who });
}

/** The stylesheet of these pages (served as a file: the CSP allows no inline style). */
export const CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#181818}header{background:#032d60;color:#fff;padding:12px 24px}
header h1{margin:0 0 6px;font-size:20px}nav{display:flex;gap:12px;align-items:center;flex-wrap:wrap}nav a{color:#fff}
main{padding:16px 24px;max-width:1100px}table{border-collapse:collapse;width:100%;margin:12px 0}th,td{border-bottom:1px solid #ddd;padding:6px;text-align:left;vertical-align:top}
label{display:block;margin:6px 0}form.inline,form.inline label{display:inline-block;margin:0 4px 0 0}.filters label{display:inline-block;margin-right:8px}
button,.button{background:#0b5cab;color:#fff;border:0;border-radius:4px;padding:6px 12px;cursor:pointer;text-decoration:none;display:inline-block;font:inherit}
.notice{background:#e6f4e6;padding:8px;border-left:4px solid #2e844a}.error{background:#fde8e8;padding:8px;border-left:4px solid #ba0517}
code{font-size:12px;word-break:break-all}.sr{position:absolute;left:-9999px}
.state{font-size:20px;font-weight:600;margin:8px 0}.bad{color:#ba0517}.ok{color:#2e844a}.warn{color:#8c4b02}
.next{background:#fef1e8;padding:8px;border-left:4px solid #dd7a01}.actions form{display:inline-block;margin:0 8px 8px 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dl.facts dt{font-weight:600}dl.facts dd{margin:0}`;
