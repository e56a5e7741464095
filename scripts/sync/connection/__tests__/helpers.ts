import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningEmulator } from '../../../org-emulator';

export const TEST_KEY = randomBytes(32).toString('base64');
export const TEST_ENV = { TIGHTKNIT_ENCRYPTION_KEY: TEST_KEY } as NodeJS.ProcessEnv;

export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'tightknit-conn-'));
}

function unescape(s: string): string {
  return s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));
}

export interface LoginScript {
  username: string;
  password: string;
  /** Change the redirect before it reaches the callback (e.g. a forged state). */
  tamper?: (location: URL) => void;
  /** The HTML of the last page the login form showed (for users that cannot log in). */
  lastPage?: string;
}

/**
 * Plays the browser: loads the emulator's login form, posts the credentials and follows the redirect
 * to the local callback server. Nothing here knows the flow's internals beyond the HTTP exchange.
 */
export function scriptedBrowser(emu: RunningEmulator, script: LoginScript): (url: string) => Promise<void> {
  return async (authorizeUrl: string) => {
    const form = await (await fetch(authorizeUrl)).text();
    const fields = new URLSearchParams();
    for (const m of form.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g))
      fields.set(unescape(m[1]), unescape(m[2]));
    fields.set('username', script.username);
    fields.set('pw', script.password);
    const res = await fetch(`${emu.loginUrl}/services/oauth2/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
      redirect: 'manual',
    });
    const location = res.headers.get('location');
    if (!location) {
      script.lastPage = await res.text();
      return;
    }
    const target = new URL(location);
    script.tamper?.(target);
    await (await fetch(target)).text();
  };
}
