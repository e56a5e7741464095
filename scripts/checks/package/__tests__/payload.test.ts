import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildLwc } from '../../../scratch/build';
import { BaseComponents } from '../base-components';
import { checkPackage } from '../check';
import { formatPackageFinding } from '../finding';
import { addGlobalOauthDecoy, copyProject, edit, LWC } from './project-copy';

const PANEL = `${LWC}/tightknitErrorPanel`;

// What deploys is what SDR converts with .forceignore applied. A copy whose .forceignore lost its
// TypeScript, test and global OAuth rules, with a stale build output, decorator helpers and one
// Apex class fewer, must fail on each (compiling shipped .ts also fails, which is not asserted here).
describe('package check: the deploy payload', () => {
  let findings: string[];

  beforeAll(async () => {
    buildLwc();
    const root = copyProject();
    for (const rule of [
      '**/lwc/**/*.ts',
      '**/__tests__/**',
      '**/extlClntAppGlobalOauthSets/**',
      '**/*.ecaGlblOauth-meta.xml',
    ]) {
      edit(root, '.forceignore', `${rule}\n`, '');
    }
    addGlobalOauthDecoy(root);
    writeFileSync(join(root, PANEL, 'removedHelper.js'), 'export const unused = 1;\n');
    edit(
      root,
      `${PANEL}/tightknitErrorPanel.js`,
      'export default class',
      'const helper = __decorate([], {});\nexport default class',
    );
    rmSync(join(root, 'force-app/main/default/classes/TightknitAura.cls'));
    rmSync(join(root, 'force-app/main/default/classes/TightknitAura.cls-meta.xml'));
    findings = (await checkPackage(root, { base: new BaseComponents() })).findings.map(formatPackageFinding);
  }, 180_000);

  it.each<[string, string]>([
    [
      'TypeScript',
      '(deploy payload) lwc/tightknitErrorPanel/tightknitErrorPanel.ts: [payload] TypeScript source must not deploy: .forceignore must list **/lwc/**/*.ts',
    ],
    [
      'tests',
      '(deploy payload) lwc/tightknitErrorPanel/__tests__/tightknitErrorPanel.test.ts: [payload] tests must not deploy: .forceignore must list **/__tests__/**',
    ],
    [
      'the consumer secret in the payload',
      '(deploy payload) extlClntAppGlobalOauthSets/Tightknit_Salesforce_glbloauth.ecaGlblOauth: [payload] External Client App global OAuth settings hold the consumer secret and must never deploy: .forceignore must list them',
    ],
    [
      'a stale build output',
      `${PANEL}/removedHelper.js: [payload] has no removedHelper.ts: a stale build output that would deploy; delete it`,
    ],
    [
      'decorator helpers in the compiled JavaScript',
      `${PANEL}/tightknitErrorPanel.js: [payload] compiled with decorator helpers: tsconfig.json must keep experimentalDecorators false and target ESNext`,
    ],
    [
      'a component count that changed',
      'scripts/checks/package/expected-components.json: [counts] ApexClass: the deploy payload has 45, 46 expected. If that change is intended, set "ApexClass": 45 in scripts/checks/package/expected-components.json; otherwise check .forceignore and the source',
    ],
  ])('fails on %s', (_what, expected) => {
    expect(findings).toContain(expected);
  });
});
