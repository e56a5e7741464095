/** The minimal login page of the web server flow (the real one is Salesforce's login form). */

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Renders the page; hidden inputs carry the authorize parameters through the POST. */
export function loginPage(params: URLSearchParams, error?: string): string {
  const hidden = [...params]
    .filter(([k]) => k !== 'username' && k !== 'pw')
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('\n      ');
  return `<!DOCTYPE html>
<html lang="en">
  <head><meta charset="utf-8"><title>Login | Salesforce (emulator)</title></head>
  <body>
    <h1>Log in to the Tightknit org emulator</h1>
    ${error ? `<p id="error" role="alert">${esc(error)}</p>` : ''}
    <form method="POST" action="/services/oauth2/authorize">
      ${hidden}
      <label>Username <input id="username" name="username" value="${esc(params.get('login_hint') ?? params.get('username') ?? '')}"></label>
      <label>Password <input id="password" name="pw" type="password"></label>
      <button id="Login" type="submit">Log In</button>
    </form>
  </body>
</html>
`;
}
