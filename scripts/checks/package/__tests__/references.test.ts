import { join } from 'node:path';
import { readApexClass } from '../apex';
import { BaseComponents } from '../base-components';
import type { CompiledBundle, CompilerReference } from '../compile';
import type { PackageSource } from '../project';
import { referenceFindings } from '../references';

const ROOT = '/project';
const APEX = `public with sharing class Ctl {
    @AuraEnabled
    public static String load() { return ''; }
    public static String internal() { return ''; }
    @AuraEnabled
    public String instance() { return ''; }
}`;

const source: PackageSource = {
  root: ROOT,
  namespace: 'tightknit',
  apiVersion: 58,
  packageDirs: [join(ROOT, 'force-app')],
  classes: new Map([
    ['ctl', readApexClass('classes/Ctl.cls', APEX)],
    [
      'loose',
      readApexClass('classes/Loose.cls', 'public class Loose {\n @AuraEnabled\n public static void go() {}\n}'),
    ],
  ]),
  labels: new Set(['Known']),
};
const context = { source, bundles: new Set(['probe', 'helper']), base: new BaseComponents() };

function messages(type: string, id: string): string[] {
  const reference = { type, id, file: 'probe.js', locations: [{ startLine: 3 }] } as unknown as CompilerReference;
  const compiled: CompiledBundle = {
    bundle: { name: 'probe', sourceDir: join(ROOT, 'force-app/lwc/probe'), outputDir: '/out/lwc/probe' },
    findings: [],
    references: [reference],
  };
  return referenceFindings(compiled, context).map((f) => `${f.file}:${f.line}: ${f.message}`);
}

describe('referenceFindings', () => {
  it.each([
    ['apexMethod', 'Ctl.load'],
    ['apexMethod', 'tightknit.Ctl.load'],
    ['label', 'c.Known'],
    ['module', 'c/helper'],
    ['module', 'tightknit/helper'],
    ['module', 'lightning/navigation'],
    ['module', 'lwc'],
    ['component', 'c-helper'],
    ['schema', 'Contact.Name'],
  ])('accepts %s %s', (type, id) => {
    expect(messages(type, id)).toEqual([]);
  });

  it.each([
    ['apexMethod', 'Nope.load', 'Apex class Nope is not in the package'],
    ['apexMethod', 'Ctl.internal', 'Ctl.internal is not @AuraEnabled (classes/Ctl.cls): a component cannot call it'],
    ['apexMethod', 'Ctl.instance', 'Ctl.instance must be static to be called from a component (classes/Ctl.cls:6)'],
    [
      'apexMethod',
      'Loose.go',
      'Loose must be declared "with sharing" (it is undeclared): components run as the user (classes/Loose.cls)',
    ],
    ['apexMethod', 'other.Ctl.load', '@salesforce/apex/other.Ctl.load must name Class.method of this package'],
    ['label', 'c.Unknown', "custom label Unknown is not defined in the package's labels"],
    ['label', 'Known', '@salesforce/label/Known is malformed: import @salesforce/label/c.Label_Name'],
    ['module', 'c/missing', 'module c/missing: the package has no LWC bundle missing'],
    [
      'module',
      'lightning/sparkle',
      'lightning/sparkle is not a platform module (lightning-base-components metadata/raptor.json has no such entry)',
    ],
    ['module', 'lightning/recordPicker', 'lightning/recordPicker needs API version 59; sfdx-project.json has 58'],
    ['module', 'jquery', 'module jquery is neither a platform module (lwc, lightning/*) nor a bundle of this package'],
    ['component', 'other-thing', '<other-thing> is neither a base component nor a component of this package'],
  ])('reports %s %s', (type, id, message) => {
    expect(messages(type, id)).toEqual([`force-app/lwc/probe/probe.js:3: ${message}`]);
  });
});
