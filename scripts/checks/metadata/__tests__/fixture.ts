import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}\n`;

/** A small valid package: two objects, a required lookup, a permission set and a controller. */
export const BASE_FILES: Record<string, string> = {
  'sfdx-project.json': JSON.stringify({
    packageDirectories: [{ path: 'force-app', default: true }],
    namespace: 'tightknit',
    sourceApiVersion: '65.0',
  }),
  'force-app/main/default/objects/Community__c/Community__c.object-meta.xml': xml(
    `<CustomObject ${NS}><deploymentStatus>Deployed</deploymentStatus><label>Community</label>` +
      '<nameField><label>Name</label><type>Text</type></nameField><pluralLabel>Communities</pluralLabel>' +
      '<sharingModel>Read</sharingModel></CustomObject>',
  ),
  'force-app/main/default/objects/Member__c/Member__c.object-meta.xml': xml(
    `<CustomObject ${NS}><deploymentStatus>Deployed</deploymentStatus><label>Member</label>` +
      '<nameField><label>Name</label><type>Text</type></nameField><pluralLabel>Members</pluralLabel>' +
      '<sharingModel>Read</sharingModel></CustomObject>',
  ),
  'force-app/main/default/objects/Member__c/fields/Community__c.field-meta.xml': xml(
    `<CustomField ${NS}><fullName>Community__c</fullName><deleteConstraint>Restrict</deleteConstraint>` +
      '<label>Community</label><referenceTo>Community__c</referenceTo><relationshipName>Members</relationshipName>' +
      '<required>true</required><type>Lookup</type></CustomField>',
  ),
  'force-app/main/default/objects/Member__c/fields/Email__c.field-meta.xml': xml(
    `<CustomField ${NS}><fullName>Email__c</fullName><label>Email</label><required>false</required>` +
      '<type>Email</type></CustomField>',
  ),
  'force-app/main/default/objects/Member__c/listViews/All.listView-meta.xml': xml(
    `<ListView ${NS}><fullName>All</fullName><columns>NAME</columns><columns>Email__c</columns>` +
      '<filterScope>Everything</filterScope><label>All</label></ListView>',
  ),
  'force-app/main/default/permissionsets/Tightknit_Read_Only.permissionset-meta.xml': xml(
    `<PermissionSet ${NS}><classAccesses><apexClass>MemberController</apexClass><enabled>true</enabled></classAccesses>` +
      '<fieldPermissions><editable>false</editable><field>Member__c.Email__c</field><readable>true</readable></fieldPermissions>' +
      '<label>Tightknit Read Only</label>' +
      '<objectPermissions><allowCreate>false</allowCreate><allowDelete>false</allowDelete><allowEdit>false</allowEdit>' +
      '<allowRead>true</allowRead><modifyAllRecords>false</modifyAllRecords><object>Member__c</object>' +
      '<viewAllRecords>false</viewAllRecords></objectPermissions></PermissionSet>',
  ),
  'force-app/main/default/classes/MemberController.cls':
    "public with sharing class MemberController {\n    @AuraEnabled(cacheable=true)\n    public static String name() {\n        return 'x';\n    }\n}\n",
  'force-app/main/default/classes/MemberController.cls-meta.xml': xml(
    `<ApexClass ${NS}><apiVersion>65.0</apiVersion><status>Active</status></ApexClass>`,
  ),
};

/** Writes BASE_FILES with `changes` applied (a null value deletes a file) into a new temp dir. */
export function writeProject(changes: Record<string, string | null> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'tk-metadata-'));
  for (const [path, content] of Object.entries({ ...BASE_FILES, ...changes })) {
    if (content === null) continue;
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** The base file at `path` with `from` replaced by `to`; fails loudly when `from` is absent. */
export function edit(path: string, from: string, to: string): Record<string, string> {
  const original = BASE_FILES[path];
  if (!original?.includes(from)) throw new Error(`fixture ${path} does not contain ${from}`);
  return { [path]: original.replace(from, to) };
}
