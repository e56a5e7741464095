import { field, SField } from './model';

/**
 * The built-in part of the schema: the standard objects and fields that the package and the sync
 * use, with the types, lengths and required flags of the Salesforce Object Reference (API 65.0):
 * https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/
 * Only a subset of each object's fields is modelled.
 */

const readOnly = { createable: false, updateable: false };
const refUser = (name: string, rel: string, extra: Partial<SField> = {}): SField =>
  field(name, 'reference', { referenceTo: 'User', relationshipName: rel, ...readOnly, ...extra });

/** Id and the audit fields every object has. */
export function systemFields(owned: boolean): SField[] {
  const fields = [
    field('Id', 'id', { ...readOnly, nillable: false, idLookup: true, label: 'Record ID' }),
    field('IsDeleted', 'boolean', { ...readOnly, nillable: false, label: 'Deleted' }),
    field('CreatedDate', 'datetime', { ...readOnly, nillable: false, label: 'Created Date' }),
    refUser('CreatedById', 'CreatedBy', { nillable: false, label: 'Created By ID' }),
    field('LastModifiedDate', 'datetime', { ...readOnly, nillable: false, label: 'Last Modified Date' }),
    refUser('LastModifiedById', 'LastModifiedBy', { nillable: false, label: 'Last Modified By ID' }),
    field('SystemModstamp', 'datetime', { ...readOnly, nillable: false, label: 'System Modstamp' }),
  ];
  if (owned)
    fields.push(
      refUser('OwnerId', 'Owner', { createable: true, updateable: true, nillable: false, label: 'Owner ID' }),
    );
  return fields;
}

const text = (name: string, length: number, extra: Partial<SField> = {}): SField =>
  field(name, 'string', { length, ...extra });

/** MasterRecordId: on a record deleted by a merge, the winning record (Object Reference; queryAll()). */
const masterRecord = (object: string): SField =>
  field('MasterRecordId', 'reference', {
    ...readOnly,
    referenceTo: object,
    relationshipName: 'MasterRecord',
    label: 'Master Record ID',
  });
const required = { required: true, nillable: false };

/** A standard object as a plain description (indexed later). */
export interface StandardObjectSpec {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  sharingModel: 'Read' | 'ReadWrite' | 'Private';
  setup: boolean;
  tooling?: boolean;
  owned: boolean;
  fields: SField[];
}

/** The Lead status whose LeadStatus row has IsConverted = true (a Developer Edition default). */
export const CONVERTED_LEAD_STATUS = 'Closed - Converted';
const leadStatuses = ['Open - Not Contacted', 'Working - Contacted', CONVERTED_LEAD_STATUS, 'Closed - Not Converted'];
const stages = ['Prospecting', 'Qualification', 'Needs Analysis', 'Closed Won', 'Closed Lost'];

export const STANDARD_OBJECTS: StandardObjectSpec[] = [
  {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    sharingModel: 'ReadWrite',
    setup: false,
    owned: true,
    fields: [
      text('Name', 255, { ...required, label: 'Account Name' }),
      field('ParentId', 'reference', {
        referenceTo: 'Account',
        relationshipName: 'Parent',
        label: 'Parent Account ID',
      }),
      field('Website', 'url'),
      field('Industry', 'picklist', { picklistValues: ['Technology', 'Finance', 'Retail', 'Other'], length: 255 }),
      field('Type', 'picklist', { picklistValues: ['Prospect', 'Customer', 'Partner', 'Other'] }),
      masterRecord('Account'),
    ],
  },
  {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    sharingModel: 'ReadWrite',
    setup: false,
    owned: true,
    fields: [
      text('FirstName', 40, { label: 'First Name' }),
      text('LastName', 80, { ...required, label: 'Last Name' }),
      text('Name', 121, { ...readOnly, label: 'Full Name' }),
      field('Email', 'email', { idLookup: true }),
      text('Title', 128),
      field('Phone', 'phone'),
      field('AccountId', 'reference', { referenceTo: 'Account', relationshipName: 'Account', label: 'Account ID' }),
      field('LeadSource', 'picklist', { picklistValues: ['Web', 'Phone Inquiry', 'Partner Referral', 'Other'] }),
      masterRecord('Contact'),
    ],
  },
  {
    name: 'Lead',
    label: 'Lead',
    labelPlural: 'Leads',
    keyPrefix: '00Q',
    sharingModel: 'ReadWrite',
    setup: false,
    owned: true,
    fields: [
      text('FirstName', 40, { label: 'First Name' }),
      text('LastName', 80, { ...required, label: 'Last Name' }),
      text('Name', 121, { ...readOnly, label: 'Full Name' }),
      text('Company', 255, { ...required }),
      field('Email', 'email', { idLookup: true }),
      text('Title', 128),
      field('Status', 'picklist', {
        picklistValues: leadStatuses,
        nillable: false,
        defaultValue: leadStatuses[0],
        label: 'Lead Status',
      }),
      field('IsConverted', 'boolean', { ...readOnly, nillable: false, defaultValue: false, label: 'Converted' }),
      field('ConvertedContactId', 'reference', {
        ...readOnly,
        referenceTo: 'Contact',
        relationshipName: 'ConvertedContact',
        label: 'Converted Contact ID',
      }),
      field('ConvertedAccountId', 'reference', {
        ...readOnly,
        referenceTo: 'Account',
        relationshipName: 'ConvertedAccount',
        label: 'Converted Account ID',
      }),
      field('ConvertedOpportunityId', 'reference', {
        ...readOnly,
        referenceTo: 'Opportunity',
        relationshipName: 'ConvertedOpportunity',
        label: 'Converted Opportunity ID',
      }),
      field('ConvertedDate', 'date', { ...readOnly, label: 'Converted Date' }),
      masterRecord('Lead'),
    ],
  },
  {
    name: 'Opportunity',
    label: 'Opportunity',
    labelPlural: 'Opportunities',
    keyPrefix: '006',
    sharingModel: 'ReadWrite',
    setup: false,
    owned: true,
    fields: [
      text('Name', 120, { ...required }),
      field('AccountId', 'reference', { referenceTo: 'Account', relationshipName: 'Account', label: 'Account ID' }),
      field('StageName', 'picklist', { ...required, picklistValues: stages, label: 'Stage' }),
      field('CloseDate', 'date', { ...required, label: 'Close Date' }),
      field('Amount', 'currency', { precision: 18, scale: 2 }),
    ],
  },
  {
    name: 'User',
    label: 'User',
    labelPlural: 'Users',
    keyPrefix: '005',
    sharingModel: 'Read',
    setup: true,
    owned: false,
    fields: [
      text('Username', 80, { ...required, unique: true, idLookup: true }),
      text('Name', 121, { ...readOnly, label: 'Full Name' }),
      text('FirstName', 40),
      text('LastName', 80, { ...required }),
      field('Email', 'email', { ...required }),
      text('Alias', 8, { ...required }),
      field('IsActive', 'boolean', { nillable: false, label: 'Active' }),
      field('UserType', 'picklist', { ...readOnly, picklistValues: ['Standard', 'PowerPartner', 'CsnOnly', 'Guest'] }),
      field('ProfileId', 'reference', {
        ...required,
        referenceTo: 'Profile',
        relationshipName: 'Profile',
        label: 'Profile ID',
      }),
    ],
  },
  {
    name: 'Profile',
    label: 'Profile',
    labelPlural: 'Profiles',
    keyPrefix: '00e',
    sharingModel: 'Read',
    setup: true,
    owned: false,
    fields: [
      text('Name', 255, { ...required }),
      field('UserLicenseId', 'reference', { referenceTo: 'UserLicense', relationshipName: 'UserLicense' }),
      field('UserType', 'picklist', { ...readOnly, picklistValues: ['Standard', 'PowerPartner', 'CsnOnly', 'Guest'] }),
    ],
  },
  {
    name: 'UserLicense',
    label: 'User License',
    labelPlural: 'User Licenses',
    keyPrefix: '100',
    sharingModel: 'Read',
    setup: true,
    owned: false,
    fields: [text('Name', 40, { ...required }), text('LicenseDefinitionKey', 40)],
  },
  {
    name: 'PermissionSet',
    label: 'Permission Set',
    labelPlural: 'Permission Sets',
    keyPrefix: '0PS',
    sharingModel: 'Read',
    setup: true,
    owned: false,
    fields: [
      text('Name', 80, { ...required }),
      text('Label', 80, { ...required }),
      text('NamespacePrefix', 15, { ...readOnly }),
      field('IsOwnedByProfile', 'boolean', { ...readOnly, nillable: false }),
      field('PermissionsApiEnabled', 'boolean', { nillable: false, label: 'API Enabled' }),
      field('PermissionsApiUserOnly', 'boolean', { nillable: false, label: 'API Only User' }),
      field('PermissionsModifyAllData', 'boolean', { nillable: false, label: 'Modify All Data' }),
    ],
  },
  {
    name: 'PermissionSetAssignment',
    label: 'Permission Set Assignment',
    labelPlural: 'Permission Set Assignments',
    keyPrefix: '0Pa',
    sharingModel: 'Read',
    setup: true,
    owned: false,
    fields: [
      field('AssigneeId', 'reference', { ...required, referenceTo: 'User', relationshipName: 'Assignee' }),
      field('PermissionSetId', 'reference', {
        ...required,
        referenceTo: 'PermissionSet',
        relationshipName: 'PermissionSet',
      }),
    ],
  },
  {
    name: 'ObjectPermissions',
    label: 'Object Permissions',
    labelPlural: 'Object Permissions',
    keyPrefix: '110',
    sharingModel: 'Read',
    setup: true,
    owned: false,
    fields: [
      field('ParentId', 'reference', { ...required, referenceTo: 'PermissionSet', relationshipName: 'Parent' }),
      text('SobjectType', 40, { ...required }),
      ...['Create', 'Read', 'Edit', 'Delete', 'ViewAllRecords', 'ModifyAllRecords'].map((p) =>
        field(`Permissions${p}`, 'boolean', { nillable: false }),
      ),
    ],
  },
  {
    name: 'FieldPermissions',
    label: 'Field Permissions',
    labelPlural: 'Field Permissions',
    keyPrefix: '01k',
    sharingModel: 'Read',
    setup: true,
    owned: false,
    fields: [
      field('ParentId', 'reference', { ...required, referenceTo: 'PermissionSet', relationshipName: 'Parent' }),
      text('SobjectType', 40, { ...required }),
      text('Field', 255, { ...required }),
      field('PermissionsRead', 'boolean', { nillable: false }),
      field('PermissionsEdit', 'boolean', { nillable: false }),
    ],
  },
  {
    name: 'Organization',
    label: 'Organization',
    labelPlural: 'Organizations',
    keyPrefix: '00D',
    sharingModel: 'Read',
    setup: true,
    owned: false,
    fields: [
      text('Name', 80, { ...readOnly }),
      text('NamespacePrefix', 15, { ...readOnly }),
      field('IsSandbox', 'boolean', { ...readOnly, nillable: false }),
      text('OrganizationType', 40, { ...readOnly }),
      text('InstanceName', 5, { ...readOnly }),
      // Set on trial and scratch orgs only; the sf CLI reads it to tell a scratch org from others.
      field('TrialExpirationDate', 'datetime', { ...readOnly }),
    ],
  },
  {
    name: 'InstalledSubscriberPackage',
    label: 'Installed Subscriber Package',
    labelPlural: 'Installed Subscriber Packages',
    keyPrefix: '0A3',
    sharingModel: 'Read',
    setup: true,
    tooling: true,
    owned: false,
    fields: [
      field('SubscriberPackageId', 'reference', {
        ...readOnly,
        referenceTo: 'SubscriberPackage',
        relationshipName: 'SubscriberPackage',
      }),
      field('SubscriberPackageVersionId', 'reference', {
        ...readOnly,
        referenceTo: 'SubscriberPackageVersion',
        relationshipName: 'SubscriberPackageVersion',
      }),
    ],
  },
  {
    name: 'SubscriberPackage',
    label: 'Subscriber Package',
    labelPlural: 'Subscriber Packages',
    keyPrefix: '033',
    sharingModel: 'Read',
    setup: true,
    tooling: true,
    owned: false,
    fields: [text('Name', 255, readOnly), text('NamespacePrefix', 15, readOnly), text('Description', 255, readOnly)],
  },
  {
    name: 'SubscriberPackageVersion',
    label: 'Subscriber Package Version',
    labelPlural: 'Subscriber Package Versions',
    keyPrefix: '04t',
    sharingModel: 'Read',
    setup: true,
    tooling: true,
    owned: false,
    fields: [
      text('Name', 255, readOnly),
      field('MajorVersion', 'int', readOnly),
      field('MinorVersion', 'int', readOnly),
      field('PatchVersion', 'int', readOnly),
      field('BuildNumber', 'int', readOnly),
      field('IsManaged', 'boolean', readOnly),
      field('IsBeta', 'boolean', readOnly),
    ],
  },
];
