/** The emulator's authorize page ("Tightknit is requesting permission to access …") and its error page. */

export interface Workspace {
  id: string;
  name: string;
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A form that posts the authorize parameters back with the workspace chosen and Allow or Cancel. */
export function authorizePage(params: URLSearchParams, workspaces: Workspace[], scopes: string[]): string {
  const hidden = [...params]
    .filter(([k]) => k !== 'team' && k !== 'decision')
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('\n      ');
  const chosen = params.get('team');
  const options = workspaces
    .map(
      (w) => `<option value="${esc(w.id)}"${w.id === chosen ? ' selected' : ''}>${esc(w.name)} (${esc(w.id)})</option>`,
    )
    .join('');
  return `<!DOCTYPE html>
<html lang="en">
  <head><meta charset="utf-8"><title>Install the app | Slack (emulator)</title></head>
  <body>
    <h1>The app is requesting permission to access a workspace</h1>
    <p>It will be able to: ${scopes.map(esc).join(', ')}</p>
    <form method="POST" action="/oauth/v2/authorize">
      ${hidden}
      <label>Workspace <select id="team" name="team">${options}</select></label>
      <button id="allow" name="decision" value="allow" type="submit">Allow</button>
      <button id="cancel" name="decision" value="deny" type="submit">Cancel</button>
    </form>
  </body>
</html>
`;
}

/** What Slack shows instead of redirecting when the request itself is wrong. */
export function errorPage(error: string): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Slack (emulator)</title></head>
<body><h1>Something went wrong when authorizing this app.</h1><p id="error">${esc(error)}</p></body></html>
`;
}
