import { OBJECT_KINDS, type Investigation } from '../../sync';
import { esc, page } from '../people/http/pages';
import type { Principal } from '../people/sessions';

type Hint = { cause: string; fix: string } | null;

const hintText = (h: Hint): string =>
  h ? `<br><strong>Cause:</strong> ${esc(h.cause)}<br><strong>Fix:</strong> ${esc(h.fix)}` : '';

/** One run as `investigate` shows it: counts per object, failed records by error with the fix, held back records, jobs. */
export function investigatePage(who: Principal, tenant: string, inv: Investigation): string {
  const r = inv.run;
  const counts = OBJECT_KINDS.map((o) => {
    const c = r.objects[o];
    return `<tr><td>${esc(o)}</td><td>${c.processed}</td><td>${c.succeeded}</td><td>${c.failed}</td><td>${c.heldBack}</td><td>${c.deleted}</td></tr>`;
  }).join('');
  const errors = inv.errors.length
    ? `<h2>Failed records by error</h2><table data-id="errors"><thead><tr><th>Object</th><th>Error</th><th>Records</th><th>Example and what to do</th></tr></thead><tbody>${inv.errors
        .map(
          (g) =>
            `<tr><td>${esc(g.object)}</td><td><code>${esc(g.code)}</code></td><td>${g.count}${g.resolved ? ` (${g.resolved} fixed since)` : ''}</td><td>${esc(g.records[0]?.externalId ?? '')}: ${esc(g.message)}${hintText(g.hint)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  const held = inv.heldBack.length
    ? `<h2>Held back</h2><ul>${inv.heldBack.map((h) => `<li>${h.count} ${esc(h.object)} record(s): ${esc(h.reason)}${hintText(h.hint)}</li>`).join('')}</ul>`
    : '';
  const events = inv.events.length
    ? `<h2>Notes</h2><ul>${inv.events.map((e) => `<li>${esc(e.at)} ${esc(e.type)}${e.code ? ` <code>${esc(e.code)}</code>` : ''}: ${esc(e.message)}${hintText(e.hint)}</li>`).join('')}</ul>`
    : '';
  const jobs = OBJECT_KINDS.flatMap((o) => inv.jobs[o]);
  const jobTable = jobs.length
    ? `<h2>Jobs</h2><table><thead><tr><th>Object</th><th>Operation</th><th>Path</th><th>Salesforce job</th><th>State</th><th>Records</th><th>Failed</th><th>Error</th></tr></thead><tbody>${jobs
        .map(
          (j) =>
            `<tr><td>${esc(j.object)}</td><td>${esc(j.operation)}</td><td>${esc(j.path)}</td><td>${esc(j.salesforceJobId ?? '—')}</td><td>${esc(j.state)}</td><td>${j.records}</td><td>${j.failed ?? '—'}</td><td>${esc(j.errorMessage ?? '')}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  return page(
    `Run ${r.runId} of ${tenant}`,
    `<p><a href="/tenants/${esc(tenant)}">Back to tenant ${esc(tenant)}</a> · <a href="/api/tenants/${esc(tenant)}/investigate?run=${r.runId}">JSON</a></p>
<p class="state" data-id="run-status">${esc(r.type)}${r.retryOf ? ` of run ${r.retryOf}` : ''}: ${esc(r.status)}, ${r.apiCalls} API calls</p>
${r.message ? `<p>${esc(r.message)}</p>` : ''}
<table data-id="counts"><thead><tr><th>Object</th><th>Processed</th><th>Succeeded</th><th>Failed</th><th>Held back</th><th>Deleted</th></tr></thead><tbody>${counts}</tbody></table>
${errors}${held}${events}${jobTable}`,
    { who },
  );
}
