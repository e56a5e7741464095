import { checkRows } from 'tk/checks';
import { buildConnectRequest, emptyForm, validateConnect, verifyLines } from '../connectionModel';
import * as fx from '../../../../__tests__/fixtures';

describe('connectionModel', () => {
  it('requires the fields of the chosen method only', () => {
    expect(Object.keys(validateConnect(emptyForm())).sort()).toEqual(['clientId', 'clientSecret', 'loginUrl']);
    expect(Object.keys(validateConnect({ ...emptyForm(), method: 'jwt' })).sort()).toEqual([
      'clientId',
      'keyFile',
      'loginUrl',
      'username',
    ]);
    expect(Object.keys(validateConnect({ ...emptyForm(), method: 'web' })).sort()).toEqual(['clientId', 'loginUrl']);
  });

  it.each([
    ['https://acme.my.salesforce.com', false],
    ['http://127.0.0.1:8642', false],
    ['http://localhost:8642', false],
    ['http://acme.my.salesforce.com', true],
    ['acme.my.salesforce.com', true],
    ['ftp://acme', true],
  ])('login URL %p rejected: %p', (loginUrl, rejected) => {
    const form = { ...emptyForm(), loginUrl, clientId: 'k', clientSecret: 's' };
    expect('loginUrl' in validateConnect(form)).toBe(rejected);
  });

  it('sends only what the method uses, trimmed', () => {
    const form = {
      ...emptyForm(),
      method: 'jwt' as const,
      loginUrl: ' https://x.my.salesforce.com/ ',
      clientId: 'k',
      clientSecret: 'ignored',
      username: ' u@x ',
      keyFile: '/k.pem',
    };
    expect(buildConnectRequest(form)).toEqual({
      method: 'jwt',
      loginUrl: 'https://x.my.salesforce.com',
      clientId: 'k',
      username: 'u@x',
      keyFile: '/k.pem',
    });
  });

  it('gives each check an icon and a word, and a fix unless it passed', () => {
    const rows = checkRows(fx.checks());
    expect(rows.map((r) => [r.status, r.icon, r.statusText, !!r.fix, r.blocking])).toEqual([
      ['pass', 'success', 'Passed', false, false],
      ['fail', 'error', 'Failed', true, true],
      ['warn', 'warning', 'Warning', true, false],
      ['skip', 'dash', 'Skipped', false, false],
    ]);
  });

  it('explains a package that is missing fields', () => {
    const v = fx.verify();
    v.ok = false;
    v.objects[1].missingFields = ['tightknit__Lead__c'];
    v.problems.push({ code: 'OLD_VERSION', message: 'Version 1.0 is too old.', fix: 'Upgrade the package.' });
    const view = verifyLines(v);
    expect(view.ok).toBe(false);
    expect(view.lines.map((l) => l.text)).toContain('tightknit__Member__c: missing tightknit__Lead__c');
    expect(view.lines.at(-1)).toMatchObject({ text: 'Version 1.0 is too old.', fix: 'Upgrade the package.' });
    delete v.installed;
    expect(verifyLines(v).headline).toContain('not installed');
  });
});
