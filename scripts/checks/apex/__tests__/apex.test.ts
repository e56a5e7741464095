import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../../../metadata/project';
import { checkApex, type ApexCheckResult } from '../check';
import { formatApexFinding } from '../finding';

const CLASS_META =
  '<?xml version="1.0" encoding="UTF-8"?>\n<ApexClass xmlns="http://soap.sforce.com/2006/04/metadata">\n' +
  '    <apiVersion>65.0</apiVersion>\n    <status>Active</status>\n</ApexClass>\n';

/** A class without sharing that builds SOQL from input and names an unknown field and type. */
const BAD_CLASS = `public class MemberSearch {
    public static List<SObject> find(String name) {
        tightknit__Member__c member = new tightknit__Member__c(tightknit__Nickname__c = name);
        Widget gadget = null;
        return Database.query('SELECT Id FROM tightknit__Member__c WHERE Name = \\'' + name + '\\'');
    }
}
`;

const CLASSES: Record<string, string> = {
  'MemberSearch.cls': BAD_CLASS,
  'Ugly.cls': 'public with sharing class Ugly {  public   Integer one( ) { return 1; }\n}\n',
  'Broken.cls': 'public with sharing class Broken {\n    public Integer one( {\n}\n',
};

/** A temp sfdx project with the real sfdx-project.json and Member__c object, plus the broken classes. */
function writeBrokenProject(): string {
  const root = mkdtempSync(join(tmpdir(), 'tk-apex-'));
  const objectDir = 'force-app/main/default/objects/Member__c';
  for (const file of [
    'sfdx-project.json',
    `${objectDir}/Member__c.object-meta.xml`,
    `${objectDir}/fields/Email__c.field-meta.xml`,
  ]) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    copyFileSync(join(REPO_ROOT, file), join(root, file));
  }
  const classes = join(root, 'force-app/main/default/classes');
  mkdirSync(classes, { recursive: true });
  for (const [name, source] of Object.entries(CLASSES)) {
    writeFileSync(join(classes, name), source);
    writeFileSync(join(classes, `${name}-meta.xml`), CLASS_META);
  }
  return root;
}

function blocking(results: ApexCheckResult[], check: ApexCheckResult['check']): string[] {
  const result = results.find((r) => r.check === check);
  if (!result) throw new Error(`no ${check} result`);
  return result.findings.filter((f) => f.blocking).map(formatApexFinding);
}

// Each check starts one Java (or prettier) process per project: real tree + broken sample, about
// 30-60 s in all on two cores. The results are computed once and shared by the tests below.
describe('Apex checks', () => {
  let real: ApexCheckResult[];
  let broken: ApexCheckResult[];

  beforeAll(async () => {
    real = await checkApex(REPO_ROOT);
    broken = await checkApex(writeBrokenProject());
  }, 600_000);

  it.each(['format', 'apex-ls', 'pmd'] as const)('the real force-app passes %s', (check) => {
    expect(blocking(real, check)).toEqual([]);
  });

  it('formatting fails on an unformatted class and on a syntax error', () => {
    expect(blocking(broken, 'format').sort()).toEqual([
      expect.stringMatching(/classes\/Broken\.cls(:\d+)?: \[format\] Apex syntax error .*Missing '\)'/),
      expect.stringMatching(/classes\/Ugly\.cls: \[format\] not formatted; run `npx prettier --write <file>`/),
    ]);
  });

  it('apex-ls fails on an unknown field and an unknown type', () => {
    const findings = blocking(broken, 'apex-ls');
    expect(findings).toContainEqual(
      expect.stringMatching(/MemberSearch\.cls:3: \[apex-ls\] Missing: Unknown field 'tightknit__Nickname__c'/),
    );
    expect(findings).toContainEqual(
      expect.stringMatching(/MemberSearch\.cls:4: \[apex-ls\] Missing: No type declaration found for 'Widget'/),
    );
    expect(findings).toContainEqual(expect.stringMatching(/Broken\.cls:2: \[apex-ls\] Syntax: /));
  });

  it('PMD fails on SOQL injection and on a class without sharing', () => {
    const findings = blocking(broken, 'pmd');
    expect(findings).toContainEqual(
      expect.stringMatching(/MemberSearch\.cls:5: \[pmd\] ApexSOQLInjection \(severity 2\)/),
    );
    expect(findings).toContainEqual(
      expect.stringMatching(/MemberSearch\.cls:1: \[pmd\] ApexSharingViolations \(severity 2\)/),
    );
    expect(broken.find((r) => r.check === 'pmd')?.findings.some((f) => !f.blocking)).toBe(true);
  });
});
