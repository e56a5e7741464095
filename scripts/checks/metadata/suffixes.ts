/**
 * Source-format file suffix (the part before `-meta.xml`) → Metadata API type in @salesforce/types.
 * Cross-checked against @salesforce/source-deploy-retrieve's registry. A package that starts using a
 * new kind of metadata adds its line here.
 */
export const TYPE_BY_SUFFIX: Readonly<Record<string, string>> = {
  app: 'CustomApplication',
  businessProcess: 'BusinessProcess',
  cls: 'ApexClass',
  compactLayout: 'CompactLayout',
  component: 'ApexComponent',
  customPermission: 'CustomPermission',
  dashboard: 'Dashboard',
  dashboardFolder: 'DashboardFolder',
  eca: 'ExternalClientApplication',
  ecaGlblOauth: 'ExtlClntAppGlobalOauthSettings',
  ecaOauth: 'ExtlClntAppOauthSettings',
  ecaOauthPlcy: 'ExtlClntAppOauthConfigurablePolicies',
  ecaPlcy: 'ExtlClntAppConfigurablePolicies',
  email: 'EmailTemplate',
  externalCredential: 'ExternalCredential',
  field: 'CustomField',
  fieldSet: 'FieldSet',
  flexipage: 'FlexiPage',
  flow: 'Flow',
  globalValueSet: 'GlobalValueSet',
  js: 'LightningComponentBundle',
  labels: 'CustomLabels',
  layout: 'Layout',
  listView: 'ListView',
  md: 'CustomMetadata',
  messageChannel: 'LightningMessageChannel',
  namedCredential: 'NamedCredential',
  notiftype: 'CustomNotificationType',
  object: 'CustomObject',
  page: 'ApexPage',
  pathAssistant: 'PathAssistant',
  permissionset: 'PermissionSet',
  permissionsetgroup: 'PermissionSetGroup',
  quickAction: 'QuickAction',
  recordType: 'RecordType',
  remoteSite: 'RemoteSiteSetting',
  report: 'Report',
  reportFolder: 'ReportFolder',
  reportType: 'ReportType',
  resource: 'StaticResource',
  tab: 'CustomTab',
  trigger: 'ApexTrigger',
  validationRule: 'ValidationRule',
  webLink: 'WebLink',
};

/** `Member__c-Community Member Layout.layout-meta.xml` → `layout`; undefined for a non-metadata file. */
export function suffixOf(fileName: string): string | undefined {
  const match = /\.([A-Za-z]+)-meta\.xml$/.exec(fileName);
  return match?.[1];
}

/** `Foo.permissionset-meta.xml` → `Foo`; `Engagement_Weight.post_created.md-meta.xml` → `Engagement_Weight.post_created`. */
export function memberNameOf(fileName: string): string {
  return fileName.replace(/\.[A-Za-z]+-meta\.xml$/, '');
}
