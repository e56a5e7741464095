import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPackageProject, REPO_ROOT } from '../../metadata/project';
import { checkSampleData } from '../sample-data';

const DATA = join(REPO_ROOT, 'scripts', 'scratch', 'data');

/** A copy of the sample data with one record of `file` changed by `change`. */
function brokenCopy(file: string, change: (record: Record<string, unknown>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'tk-data-'));
  cpSync(DATA, dir, { recursive: true });
  const content = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { records: Record<string, unknown>[] };
  change(content.records[0]);
  writeFileSync(join(dir, file), JSON.stringify(content));
  return join(dir, 'plan.json');
}

describe('scratch sample data (sf data import tree plan)', () => {
  const pkg = readPackageProject();

  it('matches the package: fields, picklists, lengths, required fields and references', () => {
    expect(checkSampleData(join(DATA, 'plan.json'), pkg)).toEqual([]);
  });

  it.each<[string, string, (r: Record<string, unknown>) => void, RegExp]>([
    [
      'a picklist value',
      'activities.json',
      (r) => (r.tightknit__Activity_Type__c = 'waved'),
      /tightknit__Activity_Type__c "waved" is not one of message_sent/,
    ],
    [
      'a too-long summary',
      'activities.json',
      (r) => (r.tightknit__Summary__c = 'x'.repeat(256)),
      /tightknit__Summary__c is 256 characters; the field holds 255/,
    ],
    [
      'a dangling reference',
      'members.json',
      (r) => (r.tightknit__Community__c = '@NoSuchRef'),
      /refers to @NoSuchRef, which no earlier plan entry saves/,
    ],
    [
      'a reference of the wrong type',
      'activities.json',
      (r) => (r.tightknit__Member__c = '@BuildersRef'),
      /tightknit__Member__c needs a tightknit__Member__c, @BuildersRef is a tightknit__Community__c/,
    ],
    [
      'a missing required field',
      'activities.json',
      (r) => delete r.tightknit__Occurred_At__c,
      /required field tightknit__Occurred_At__c is missing/,
    ],
    [
      'an unknown field',
      'members.json',
      (r) => (r.tightknit__Nickname__c = 'Ada'),
      /tightknit__Member__c has no field tightknit__Nickname__c/,
    ],
  ])('reports %s', (_name, file, change, expected) => {
    expect(checkSampleData(brokenCopy(file, change), pkg)).toEqual([expect.stringMatching(expected)]);
  });
});
