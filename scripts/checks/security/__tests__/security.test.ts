import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../../../metadata/project';
import type { SecurityFinding } from '../finding';
import { JUSTIFICATION_FILE, parseJustifications, readJustifications, type Justification } from '../justification';
import { writeReviewPackage } from '../review-package';
import { scanPackage, type SecurityScan } from '../scan';
import { shippedFiles } from '../shipped';
import { judge, SEVERITY_3_LIMIT } from '../verdict';

const finding = (over: Partial<SecurityFinding> = {}): SecurityFinding => ({
  engine: 'sfge',
  rule: 'DatabaseOperationsMustUseWithSharing',
  severity: 2,
  file: 'force-app/main/default/classes/Job.cls',
  line: 7,
  code: 'return Database.executeBatch(new Job());',
  message: 'Database operation must be executed from a class that enforces sharing rules.',
  ...over,
});

const justification = (over: Partial<Justification> = {}): Justification => ({
  engine: 'sfge',
  rule: 'DatabaseOperationsMustUseWithSharing',
  file: 'force-app/main/default/classes/Job.cls',
  code: 'return Database.executeBatch(new Job());',
  why: 'The job only counts rows and writes the totals onto fields that every user can only read.',
  enforcedBy: 'The Manage Tightknit Setup custom permission, checked before the job starts.',
  ...over,
});

const block = (entries: unknown): string =>
  `# Review\n\n\`\`\`json security-justifications\n${JSON.stringify(entries, null, 2)}\n\`\`\`\n`;

describe('security verdict', () => {
  it('fails on an unjustified severity 1-2 finding and passes once it is justified', () => {
    expect(judge([finding()], []).failures).toEqual([
      expect.stringMatching(
        /unjustified severity 2 finding sfge\/DatabaseOperationsMustUseWithSharing at .*Job\.cls:7/,
      ),
    ]);
    const verdict = judge([finding()], [justification()]);
    expect(verdict.failures).toEqual([]);
    expect(verdict.justified).toHaveLength(1);
  });

  it('fails on a justification whose finding no longer occurs, or whose line changed', () => {
    expect(judge([], [justification()]).failures).toEqual([expect.stringMatching(/no longer occurs/)]);
    const moved = judge([finding({ code: 'return Database.executeBatch(new Job(), 50);' })], [justification()]);
    expect(moved.unjustified).toHaveLength(1);
    expect(moved.stale).toHaveLength(1);
  });

  it('keeps severity 3 below the limit and treats an engine error as a failed scan', () => {
    const many = Array.from({ length: SEVERITY_3_LIMIT }, (_, i) => finding({ severity: 3, line: i + 1 }));
    expect(judge(many.slice(1), []).failures).toEqual([]);
    expect(judge(many, []).failures).toEqual([`${SEVERITY_3_LIMIT} severity 3 findings: keep them below 20`]);
    expect(judge([], [], ['sfge: Path evaluation timed out']).failures).toEqual([
      'the scan is incomplete: sfge: Path evaluation timed out',
    ]);
  });
});

describe('justification file', () => {
  it('reads the entries of the fenced block', () => {
    expect(parseJustifications(block([justification()]))).toEqual([justification()]);
    expect(parseJustifications(block([]))).toEqual([]);
  });

  it('refuses a missing block, bad JSON and an entry without its reasons', () => {
    expect(() => parseJustifications('# Review\n')).toThrow(/has no ```json security-justifications block/);
    expect(() => parseJustifications('```json security-justifications\n[{]\n```\n')).toThrow(/not valid JSON/);
    expect(() => parseJustifications(block([justification({ why: 'safe' })]))).toThrow(
      /justification 0\.why is invalid: say why/,
    );
    expect(() => parseJustifications(block([{ ...justification(), enforcedBy: undefined }]))).toThrow(
      /justification 0\.enforcedBy is invalid/,
    );
  });
});

const META = (type: string, api: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="http://soap.sforce.com/2006/04/metadata">\n` +
  `    <apiVersion>${api}</apiVersion>\n${type === 'ApexClass' ? '    <status>Active</status>\n' : '    <isExposed>false</isExposed>\n'}</${type}>\n`;

/** A project whose component writes innerHTML and whose class is on an API version from 2010. */
function writeUnsafeProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'tk-security-'));
  const files: Record<string, string> = {
    'sfdx-project.json': JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }] }),
    'force-app/main/default/lwc/unsafe/unsafe.js':
      "import { LightningElement } from 'lwc';\nexport default class Unsafe extends LightningElement {\n" +
      '    renderedCallback() {\n        this.template.querySelector("div").innerHTML = this.note;\n    }\n}\n',
    'force-app/main/default/lwc/unsafe/unsafe.html': '<template><div></div></template>\n',
    'force-app/main/default/lwc/unsafe/unsafe.js-meta.xml': META('LightningComponentBundle', '65.0'),
    'force-app/main/default/classes/Old.cls': 'public with sharing class Old {\n}\n',
    'force-app/main/default/classes/Old.cls-meta.xml': META('ApexClass', '20.0'),
  };
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

describe('Code Analyzer scan', () => {
  it('finds an unsafe component and an old API version with the fast engines, fails on them and reports them', async () => {
    const root = writeUnsafeProject();
    const scan = await scanPackage(root, ['eslint', 'regex']);
    const verdict = judge(scan.findings, []);
    expect(verdict.unjustified.map((f) => `${f.engine}/${f.rule} ${f.file}:${f.line}`).sort()).toEqual([
      'eslint/@lwc/lwc/no-inner-html force-app/main/default/lwc/unsafe/unsafe.js:4',
      'regex/AvoidOldSalesforceApiVersions force-app/main/default/classes/Old.cls-meta.xml:3',
    ]);

    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, JUSTIFICATION_FILE), block([]));
    const written = writeReviewPackage(root, scan).map((f) => f.slice(root.length + 1));
    expect(written).toEqual([
      'reports/security/code-analyzer-results.html',
      'reports/security/code-analyzer-results.csv',
      'reports/security/security-review.md',
    ]);
    const csv = readFileSync(join(root, written[1] ?? ''), 'utf8');
    expect(csv).toContain('no-inner-html');
    expect(csv).toContain('AvoidOldSalesforceApiVersions');
    expect(readFileSync(join(root, written[0] ?? ''), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
  }, 120_000);

  it('refuses to scan components whose TypeScript is not compiled', () => {
    const root = writeUnsafeProject();
    writeFileSync(join(root, 'force-app/main/default/lwc/unsafe/unsafe.ts'), 'export {};\n');
    const lwc = join(root, 'force-app/main/default/lwc/fresh');
    mkdirSync(lwc);
    writeFileSync(join(lwc, 'fresh.ts'), 'export {};\n');
    writeFileSync(join(lwc, 'fresh.html'), '<template></template>\n');
    writeFileSync(join(lwc, 'fresh.js-meta.xml'), META('LightningComponentBundle', '65.0'));
    expect(() => shippedFiles(root)).toThrow(/not compiled \(fresh\.ts\).*npm run build/);
  });
});

// The Graph Engine takes a minute or more on two busy cores: the package is scanned once, with every
// engine, and the tests below share the result.
describe('the package', () => {
  let scan: SecurityScan;

  beforeAll(async () => {
    scan = await scanPackage(REPO_ROOT);
  }, 900_000);

  it('ran every engine of the AppExchange review on what deploys', () => {
    expect(scan.results.getEngineNames().sort()).toEqual(['eslint', 'pmd', 'regex', 'retire-js', 'sfge']);
    const files = shippedFiles(REPO_ROOT);
    expect(files.some((f) => /\/lwc\/.+\.js$/.test(f))).toBe(true);
    expect(files.filter((f) => f.endsWith('.ts') || f.includes('__tests__'))).toEqual([]);
  });

  it('has no unjustified severity 1-2 finding, no stale justification and fewer than 20 severity 3', () => {
    expect(judge(scan.findings, readJustifications(REPO_ROOT), scan.errors).failures).toEqual([]);
  });
});
