import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../metadata/project';
import { buildLwc } from '../../../scratch/build';
import { BaseComponents } from '../base-components';
import { checkPackage, type PackageCheckResult } from '../check';
import { EXPECTED_COUNTS_FILE } from '../counts';
import { formatPackageFinding } from '../finding';
import { addGlobalOauthDecoy, copyProject, edit, LWC } from './project-copy';

/** The same edit in a bundle's .ts and in tsc's .js beside it (the test does not rebuild the copy). */
function editBoth(root: string, file: string, from: string, to: string): void {
  edit(root, `${file}.ts`, from, to);
  edit(root, `${file}.js`, from, to);
}

/** One deliberate mistake per bundle, so each shows on its own. */
function breakBundles(root: string): void {
  const log = `${LWC}/tightknitMemberActivityLog/tightknitMemberActivityLog`;
  editBoth(
    root,
    log,
    `import { LightningElement, api, wire } from 'lwc';`,
    `import { LightningElement, api, wire, createElement } from 'lwc';`,
  );
  const link = `${LWC}/tightknitLinkContact/tightknitLinkContact`;
  editBoth(root, link, 'TightknitLinkContactController.getMemberLink', 'TightknitLinkContactController.getMemberLinks');
  const studio = `${LWC}/tightknitViewInStudioButton/tightknitViewInStudioButton`;
  edit(root, `${studio}.ts`, '  @api recordId?: string;', '  @api recordId?: string;\n  @api dataSource?: string;');
  edit(root, `${studio}.js`, '    recordId;', '    recordId;\n    @api\n    dataSource;');
  const labels = `${LWC}/tightknitHealthCheck/labels`;
  editBoth(root, labels, 'c.Health_Intro', 'c.Health_Intro_Missing');
  const table = `${LWC}/tightknitActivityTable/tightknitActivityTable.html`;
  edit(root, table, 'key-field="id"', 'key-feild="id"');
  const schedule = `${LWC}/tightknitRollupSchedule/tightknitRollupSchedule.html`;
  edit(root, schedule, '<lightning-card ', '<lightning-sparkle></lightning-sparkle><lightning-card ');
  const contactLog = `${LWC}/tightknitContactMemberActivityLog/tightknitContactMemberActivityLog.html`;
  edit(root, contactLog, 'c-tightknit-activity-table', 'c-tightknit-activity-tables');
  rmSync(join(root, `${LWC}/tightknitCommunityProfile/tightknitCommunityProfile.js`));
  const info = `${LWC}/tightknitCommunityActivityInfo/tightknitCommunityActivityInfo.html`;
  edit(root, info, 'friendly-message=', 'friendly-mesage=');
}

// The build writes the .js next to each .ts in the checkout: once per run, in this one file, so no
// other test copies the checkout while tsc rewrites it.
beforeAll(() => buildLwc(), 120_000);

/** Temp projects and conversions, removed after the run. */
const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

// One conversion and 15 compilations per project (a few seconds each on two busy cores): the real
// package, and a copy with one mistake in each of several bundles. Results are shared by the tests.
describe('package check (platform LWC compiler + source-deploy-retrieve)', () => {
  const base = new BaseComponents();
  let real: PackageCheckResult;
  let broken: string[];
  let brokenRoot: string;

  beforeAll(async () => {
    real = await checkPackage(REPO_ROOT, { base });
    temps.push(real.converted.dir);
    brokenRoot = copyProject();
    temps.push(brokenRoot);
    breakBundles(brokenRoot);
    // Files a checkout holds that .forceignore keeps out: they must not show up at all.
    addGlobalOauthDecoy(brokenRoot);
    writeFileSync(join(brokenRoot, LWC, 'tsconfig.json'), '{}\n');
    const result = await checkPackage(brokenRoot, { base, outputDir: join(brokenRoot, 'mdapi') });
    broken = result.findings.map(formatPackageFinding);
  }, 180_000);

  it('passes the real package: 0 compiler diagnostics, every reference and tag resolves', () => {
    expect(real.findings.map(formatPackageFinding)).toEqual([]);
    expect(real.converted.bundles.length).toBeGreaterThan(0);
  });

  it('counts the components the committed file expects', () => {
    expect(real.counts).toEqual(JSON.parse(readFileSync(join(REPO_ROOT, EXPECTED_COUNTS_FILE), 'utf8')));
  });

  const cases: [string, RegExp][] = [
    [
      'a restricted import',
      /^force-app\/main\/default\/lwc\/tightknitMemberActivityLog\/tightknitMemberActivityLog\.ts:1: \[compile\] error: LWC1702: Invalid LWC imported identifier "createElement"$/,
    ],
    [
      'an unknown Apex method',
      /^force-app\/main\/default\/lwc\/tightknitLinkContact\/tightknitLinkContact\.ts:\d+: \[references\] TightknitLinkContactController has no method getMemberLinks \(force-app\/main\/default\/classes\/TightknitLinkContactController\.cls\)$/,
    ],
    [
      'a bad @api name',
      /^force-app\/main\/default\/lwc\/tightknitViewInStudioButton\/tightknitViewInStudioButton\.ts:\d+: \[compile\] error: LWC1503: Invalid public property name "dataSource"/,
    ],
    [
      'a missing label',
      /^force-app\/main\/default\/lwc\/tightknitHealthCheck\/labels\.ts:3: \[references\] custom label Health_Intro_Missing is not defined in the package's labels$/,
    ],
    [
      'an unknown lightning-* attribute',
      /^force-app\/main\/default\/lwc\/tightknitActivityTable\/tightknitActivityTable\.html:5: \[templates\] <lightning-datatable> has no public property "keyFeild" \(attribute key-feild\); it has: .*keyField/,
    ],
    [
      'an unknown lightning-* tag',
      /^force-app\/main\/default\/lwc\/tightknitRollupSchedule\/tightknitRollupSchedule\.html:2: \[templates\] <lightning-sparkle> is not a base component the platform provides/,
    ],
    [
      'a component the package does not have',
      /^force-app\/main\/default\/lwc\/tightknitContactMemberActivityLog\/tightknitContactMemberActivityLog\.html:37: \[references\] <c-tightknit-activity-tables>: the package has no LWC bundle tightknitActivityTables$/,
    ],
    [
      'an attribute the package component does not declare @api',
      /^force-app\/main\/default\/lwc\/tightknitCommunityActivityInfo\/tightknitCommunityActivityInfo\.html:10: \[templates\] <c-tightknit-error-panel> has no public property "friendlyMesage" \(attribute friendly-mesage\); it has: errors, friendlyMessage$/,
    ],
    [
      'a bundle without its compiled .js',
      /^force-app\/main\/default\/lwc\/tightknitCommunityProfile\/tightknitCommunityProfile\.js: \[payload\] missing from the deploy payload \(run npm run build\)$/,
    ],
  ];

  it.each(cases)('fails on %s', (_what, expected) => {
    expect(broken).toContainEqual(expect.stringMatching(expected));
  });

  it('reports each mistake once and nothing else', () => {
    expect(broken.filter((finding) => !cases.some(([, expected]) => expected.test(finding)))).toEqual([]);
    expect(broken).toHaveLength(cases.length);
  });
});

const PANEL = `${LWC}/tightknitErrorPanel`;

// What deploys is what SDR converts with .forceignore applied. A copy whose .forceignore lost its
// TypeScript, test and global OAuth rules, with a stale build output, decorator helpers and one
// Apex class fewer, must fail on each (compiling shipped .ts also fails, which is not asserted here).
describe('package check: the deploy payload', () => {
  let findings: string[];

  beforeAll(async () => {
    const root = copyProject();
    temps.push(root);
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
    findings = (await checkPackage(root, { base: new BaseComponents(), outputDir: join(root, 'mdapi') })).findings.map(
      formatPackageFinding,
    );
  }, 180_000);

  // The copy lost one Apex class; the count expected comes from the file, so a new class does not stale the test.
  const APEX_CLASSES = (
    JSON.parse(readFileSync(join(REPO_ROOT, EXPECTED_COUNTS_FILE), 'utf8')) as { ApexClass: number }
  ).ApexClass;

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
      `scripts/checks/package/expected-components.json: [counts] ApexClass: the deploy payload has ${APEX_CLASSES - 1}, ${APEX_CLASSES} expected. If that change is intended, set "ApexClass": ${APEX_CLASSES - 1} in scripts/checks/package/expected-components.json; otherwise check .forceignore and the source`,
    ],
  ])('fails on %s', (_what, expected) => {
    expect(findings).toContain(expected);
  });
});
