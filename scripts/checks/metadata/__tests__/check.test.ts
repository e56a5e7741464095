import { REPO_ROOT } from '../../../metadata/project';
import { checkMetadata } from '../check';
import { formatFinding } from '../finding';
import { MetadataSchema } from '../schema';
import { edit, writeProject } from './fixture';

const OBJECT = 'force-app/main/default/objects/Member__c/Member__c.object-meta.xml';
const EMAIL = 'force-app/main/default/objects/Member__c/fields/Email__c.field-meta.xml';
const PERMSET = 'force-app/main/default/permissionsets/Tightknit_Read_Only.permissionset-meta.xml';
const NS = 'xmlns="http://soap.sforce.com/2006/04/metadata"';
const LIST_VIEW = 'force-app/main/default/objects/Member__c/listViews/All.listView-meta.xml';

let schema: MetadataSchema;
beforeAll(() => {
  schema = new MetadataSchema(); // about a second: once for the whole file
});

async function findings(changes: Record<string, string | null> = {}): Promise<string[]> {
  return (await checkMetadata(writeProject(changes), { schema })).map(formatFinding);
}

describe('checkMetadata', () => {
  it('passes the real force-app', async () => {
    expect((await checkMetadata(REPO_ROOT, { schema })).map(formatFinding)).toEqual([]);
  });

  it('passes the valid sample package', async () => {
    expect(await findings()).toEqual([]);
  });

  it.each<[string, Record<string, string | null>, RegExp]>([
    [
      'an unknown element',
      edit(EMAIL, '<label>', '<colour>red</colour><label>'),
      /Email__c\.field-meta\.xml: CustomField\/colour: unknown element <colour> in CustomField; allowed: .*externalId/,
    ],
    [
      'an invalid enum value',
      edit(OBJECT, '<sharingModel>Read<', '<sharingModel>Sometimes<'),
      /CustomObject\/sharingModel: invalid value "Sometimes" for CustomObject\.sharingModel \(SharingModel\); allowed: .*FullAccess, Private, Read, ReadSelect, /,
    ],
    [
      'an element nested in the wrong parent',
      edit(PERMSET, '<label>', '<field>Member__c.Email__c</field><label>'),
      /PermissionSet\/field: unknown element <field> in PermissionSet \(it belongs inside .*<fieldPermissions>/,
    ],
    [
      'child elements where a value belongs',
      edit(PERMSET, '<label>Tightknit Read Only</label>', '<label><en>Read</en></label>'),
      /PermissionSet\/label: <label> holds child elements \(en\) but PermissionSet\.label is a single string value/,
    ],
    [
      'a non-boolean flag',
      edit(EMAIL, '<required>false<', '<required>no<'),
      /CustomField\/required: CustomField\.required must be true or false, not "no"/,
    ],
    [
      'field permissions on a required lookup',
      edit(
        PERMSET,
        '<label>',
        '<fieldPermissions><editable>false</editable><field>Member__c.Community__c</field><readable>true</readable></fieldPermissions><label>',
      ),
      /PermissionSet\/fieldPermissions\[2\]: Member__c\.Community__c is a required field: .*Remove this fieldPermissions entry/,
    ],
    [
      'Modify All without View All',
      edit(PERMSET, '<modifyAllRecords>false<', '<modifyAllRecords>true<'),
      /objectPermissions\[1\]: Member__c: modifyAllRecords requires viewAllRecords, allowEdit, allowDelete; set them to true/,
    ],
    [
      'object permissions on a standard object',
      edit(PERMSET, '<object>Member__c<', '<object>Contact<'),
      /objectPermissions\[1\]: object permissions on the standard object Contact: a managed package cannot grant them/,
    ],
    [
      'user permissions in a package permission set',
      edit(
        PERMSET,
        '</PermissionSet>',
        '<userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions></PermissionSet>',
      ),
      /PermissionSet\/userPermissions: a package permission set cannot carry user permissions/,
    ],
    [
      'an @AuraEnabled class without class access',
      edit(
        PERMSET,
        '<classAccesses><apexClass>MemberController</apexClass><enabled>true</enabled></classAccesses>',
        '',
      ),
      /MemberController\.cls: MemberController has @AuraEnabled methods but no enabled classAccesses entry in Tightknit_Read_Only or Tightknit_Admin/,
    ],
    [
      'a list view column that is not a field',
      edit(LIST_VIEW, '<columns>Email__c<', '<columns>Phone__c<'),
      /All\.listView-meta\.xml: ListView\/columns\[2\]: field Member__c\.Phone__c is not defined in force-app/,
    ],
    [
      'a layout field that does not exist',
      {
        'force-app/main/default/layouts/Member__c-Member Layout.layout-meta.xml': `<?xml version="1.0"?><Layout ${NS}><layoutSections><layoutColumns><layoutItems><behavior>Required</behavior><field>Name</field></layoutItems><layoutItems><behavior>Required</behavior><field>Community__c</field></layoutItems><layoutItems><behavior>Edit</behavior><field>Nickname__c</field></layoutItems></layoutColumns><style>OneColumn</style></layoutSections></Layout>`,
      },
      /Layout\/layoutSections\[1\]\/layoutColumns\[1\]\/layoutItems\[3\]\/field: field Member__c\.Nickname__c is not defined in force-app/,
    ],
    [
      'a report type column that does not exist',
      {
        'force-app/main/default/reportTypes/Community_Members.reportType-meta.xml': `<?xml version="1.0"?><ReportType ${NS}><baseObject>Community__c</baseObject><category>other</category><deployed>true</deployed><join><outerJoin>false</outerJoin><relationship>Members__r</relationship></join><label>Communities with Members</label><sections><columns><checkedByDefault>true</checkedByDefault><field>Emial__c</field><table>Community__c.Members__r</table></columns><masterLabel>Members</masterLabel></sections></ReportType>`,
      },
      /ReportType\/sections\[1\]\/columns\[1\]\/field: field Member__c\.Emial__c is not defined in force-app/,
    ],
    [
      'a custom permission no permission set grants',
      {
        'force-app/main/default/customPermissions/Manage_Things.customPermission-meta.xml': `<?xml version="1.0"?><CustomPermission ${NS}><isLicensed>false</isLicensed><label>Manage Things</label></CustomPermission>`,
      },
      /Manage_Things\.customPermission-meta\.xml: no package permission set grants Manage_Things/,
    ],
    [
      'elements out of the Metadata API order',
      edit(
        EMAIL,
        '<fullName>Email__c</fullName><label>Email</label>',
        '<label>Email</label><fullName>Email__c</fullName>',
      ),
      /CustomField\/fullName: <fullName> must come before <label> \(CustomField elements follow the Metadata API order\)/,
    ],
    [
      'a required lookup on a layout without Required behavior',
      {
        'force-app/main/default/layouts/Member__c-Member Layout.layout-meta.xml': `<?xml version="1.0"?><Layout ${NS}><layoutSections><layoutColumns><layoutItems><behavior>Required</behavior><field>Name</field></layoutItems><layoutItems><behavior>Edit</behavior><field>Community__c</field></layoutItems></layoutColumns><style>OneColumn</style></layoutSections></Layout>`,
      },
      /Member Layout\.layout-meta\.xml: Layout: required field Community__c has behavior Edit; use Required/,
    ],
    [
      'an app tab that does not exist',
      {
        'force-app/main/default/applications/Things.app-meta.xml': `<?xml version="1.0"?><CustomApplication ${NS}><label>Things</label><navType>Standard</navType><tabs>standard-Account</tabs><tabs>Widget__c</tabs><uiType>Lightning</uiType></CustomApplication>`,
      },
      /Things\.app-meta\.xml: CustomApplication\/tabs\[2\]: tab Widget__c is not defined/,
    ],
    [
      'a Lightning page component that does not exist',
      {
        'force-app/main/default/flexipages/Member_Page.flexipage-meta.xml': `<?xml version="1.0"?><FlexiPage ${NS}><flexiPageRegions><itemInstances><componentInstance><componentName>force:detailPanel</componentName><identifier>d</identifier></componentInstance></itemInstances><itemInstances><componentInstance><componentName>c:memberCard</componentName><identifier>m</identifier></componentInstance></itemInstances><name>main</name><type>Region</type></flexiPageRegions><masterLabel>Member</masterLabel><sobjectType>Member__c</sobjectType><template><name>flexipage:recordHomeTemplateDesktop</name></template><type>RecordPage</type></FlexiPage>`,
      },
      /FlexiPage\/flexiPageRegions\[1\]\/itemInstances\[2\]\/componentInstance\/componentName: component c:memberCard is not a bundle/,
    ],
    [
      'a compact layout assignment that does not exist',
      edit(
        OBJECT,
        '<deploymentStatus>',
        '<compactLayoutAssignment>Member_Compact</compactLayoutAssignment><deploymentStatus>',
      ),
      /Member__c\.object-meta\.xml: CustomObject\/compactLayoutAssignment: compact layout Member_Compact is not defined for Member__c/,
    ],
    [
      'a new field without field permissions',
      {
        'force-app/main/default/objects/Member__c/fields/Nickname__c.field-meta.xml': `<?xml version="1.0"?><CustomField ${NS}><fullName>Nickname__c</fullName><label>Nickname</label><length>40</length><type>Text</type></CustomField>`,
      },
      /Tightknit_Read_Only\.permissionset-meta\.xml: PermissionSet\/fieldPermissions: Member__c\.Nickname__c needs readable fieldPermissions in Tightknit_Read_Only/,
    ],
    [
      'a component target object that does not exist',
      {
        'force-app/main/default/lwc/memberCard/memberCard.js-meta.xml': `<?xml version="1.0"?><LightningComponentBundle ${NS}><apiVersion>65.0</apiVersion><isExposed>true</isExposed><targets><target>lightning__RecordPage</target></targets><targetConfigs><targetConfig targets="lightning__RecordPage"><objects><object>Member__c</object><object>Widget__c</object></objects></targetConfig></targetConfigs></LightningComponentBundle>`,
      },
      /memberCard\.js-meta\.xml: LightningComponentBundle\/targetConfigs: object Widget__c is not defined in force-app/,
    ],
    [
      'malformed XML',
      edit(EMAIL, '</label>', '</lable>'),
      /Email__c\.field-meta\.xml: not well-formed XML: line 2, column \d+: /,
    ],
    [
      'an unmapped file suffix',
      { 'force-app/main/default/widgets/Thing.widget-meta.xml': '<?xml version="1.0"?><Widget/>' },
      /Thing\.widget-meta\.xml: unknown metadata suffix "\.widget-meta\.xml": add "widget: '<MetadataType>'" to TYPE_BY_SUFFIX/,
    ],
  ])('reports %s', async (_name, changes, expected) => {
    const result = await findings(changes);
    expect(result).toEqual([expect.stringMatching(expected)]);
  });

  it('reports report columns and report types that do not resolve', async () => {
    const report = `<?xml version="1.0"?><Report ${NS}><columns><field>Community__c.Members__r$Email__c</field></columns><columns><field>Community__c.Members__r$Nickname__c</field></columns><format>Tabular</format><name>Members</name><reportType>Community_Members__c</reportType><scope>organization</scope><showDetails>true</showDetails></Report>`;
    const result = await findings({ 'force-app/main/default/reports/Tightknit/Members.report-meta.xml': report });
    expect(result).toEqual([
      expect.stringMatching(/Report\/reportType: report type Community_Members__c is not defined/),
      expect.stringMatching(
        /Report\/columns\[2\]\/field: Community__c\.Members__r\$Nickname__c: field Member__c\.Nickname__c is not defined/,
      ),
    ]);
  });

  it('follows standard and custom relationships in report types, leaving unknown standard ones to the org', async () => {
    const contactLookup = `<?xml version="1.0"?><CustomField ${NS}><fullName>Contact__c</fullName><deleteConstraint>SetNull</deleteConstraint><label>Contact</label><referenceTo>Contact</referenceTo><relationshipName>Community_Members</relationshipName><required>false</required><type>Lookup</type></CustomField>`;
    const column = (table: string, field: string) =>
      `<columns><checkedByDefault>false</checkedByDefault><field>${field}</field><table>${table}</table></columns>`;
    const reportType =
      `<?xml version="1.0"?><ReportType ${NS}><baseObject>Account</baseObject><category>accounts</category><deployed>true</deployed>` +
      '<join><join><outerJoin>true</outerJoin><relationship>Community_Members__r</relationship></join><outerJoin>false</outerJoin><relationship>Contacts</relationship></join>' +
      '<label>Accounts with Members</label><sections>' +
      column('Account.Contacts.Community_Members__r', 'Email__c') +
      column('Account.Contacts.Community_Members__r', 'Emial__c') +
      column('Account.Contactz', 'Name') +
      column('Account.Contacts', 'Account.Name') +
      '<masterLabel>Members</masterLabel></sections></ReportType>';
    const result = await findings({
      'force-app/main/default/objects/Member__c/fields/Contact__c.field-meta.xml': contactLookup,
      'force-app/main/default/reportTypes/Accounts_with_Members.reportType-meta.xml': reportType,
      ...edit(
        PERMSET,
        '<label>',
        '<fieldPermissions><editable>false</editable><field>Member__c.Contact__c</field><readable>true</readable></fieldPermissions><label>',
      ),
    });
    expect(result).toEqual([
      expect.stringMatching(
        /ReportType\/sections\[1\]\/columns\[2\]\/field: field Member__c\.Emial__c is not defined in force-app/,
      ),
    ]);
  });

  it('reports label, Apex and schema imports of components, and Apex labels, that do not exist', async () => {
    const lwc = 'force-app/main/default/lwc/memberCard';
    const component = [
      "import LOADING from '@salesforce/label/c.Loading';",
      "import NAME from '@salesforce/apex/MemberController.name';",
      "import MISSING from '@salesforce/apex/MemberController.missing';",
      "import EMAIL from '@salesforce/schema/Member__c.Email__c';",
      "import NICK from '@salesforce/schema/Member__c.Nickname__c';",
      "import COMMUNITY from '@salesforce/schema/Member__c.Community__r.Name';",
      "// import OLD from '@salesforce/label/c.Old';",
      'export default [LOADING, NAME, MISSING, EMAIL, NICK, COMMUNITY];',
    ].join('\n');
    const result = await findings({
      [`${lwc}/memberCard.ts`]: component,
      [`${lwc}/memberCard.js-meta.xml`]: `<?xml version="1.0"?><LightningComponentBundle ${NS}><apiVersion>65.0</apiVersion><isExposed>false</isExposed></LightningComponentBundle>`,
      'force-app/main/default/classes/MemberController.cls':
        "public with sharing class MemberController {\n    @AuraEnabled(cacheable=true)\n    @SuppressWarnings('PMD.ApexDoc')\n    public static String name() {\n        return System.Label.Member_Name;\n    }\n}\n",
    });
    expect(result).toEqual([
      expect.stringMatching(
        /memberCard\.ts: import @salesforce\/label\/c\.Loading: custom label Loading is not in force-app/,
      ),
      expect.stringMatching(
        /memberCard\.ts: import @salesforce\/apex\/MemberController\.missing: MemberController\.missing is not an @AuraEnabled method/,
      ),
      expect.stringMatching(
        /memberCard\.ts: import @salesforce\/schema\/Member__c\.Nickname__c: field Member__c\.Nickname__c is not defined/,
      ),
      expect.stringMatching(/MemberController\.cls: Label\.Member_Name: custom label Member_Name is not in force-app/),
    ]);
  });

  it('explains wrong nesting of an unknown element that belongs one level down', async () => {
    const result = await findings(edit(OBJECT, '<label>', '<type>Text</type><label>'));
    expect(result).toEqual([
      expect.stringMatching(/unknown element <type> in CustomObject \(it belongs inside .*<fields> or <nameField>\)/),
    ]);
  });
});
