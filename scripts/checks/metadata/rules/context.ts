import type { FieldDef, ObjectDef, PackageProject } from '../../../metadata/project';
import type { Finding } from '../finding';
import type { MetadataFile } from '../files';

/** What every platform rule gets: the parsed files and the shared reader's view of the package. */
export interface RuleContext {
  root: string;
  files: MetadataFile[];
  pkg: PackageProject;
}

/** A platform rule the Metadata API types cannot express. */
export type Rule = (context: RuleContext) => Finding[];

/** Standard fields every custom object has. */
const STANDARD_FIELDS_OF_CUSTOM_OBJECTS = new Set([
  'Id',
  'Name',
  'OwnerId',
  'CreatedById',
  'CreatedDate',
  'LastModifiedById',
  'LastModifiedDate',
  'SystemModstamp',
  'IsDeleted',
  'LastActivityDate',
  'LastViewedDate',
  'LastReferencedDate',
  'RecordTypeId',
  'CurrencyIsoCode',
]);

/** The well-formed files of one Metadata API type. */
export function filesOfType(
  context: RuleContext,
  type: string,
): (MetadataFile & { root: NonNullable<MetadataFile['root']> })[] {
  return context.files.filter(
    (f): f is MetadataFile & { root: NonNullable<MetadataFile['root']> } => f.type === type && f.root !== undefined,
  );
}

/** `tightknit__Member__c` → `Member__c`: source files may use either form. */
export function withoutNamespace(pkg: PackageProject, name: string): string {
  const prefix = `${pkg.namespace}__`;
  return pkg.namespace && name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** True for names of custom things (`__c`, `__mdt`, `__e`, ...), which the package must define itself. */
export function isCustom(name: string): boolean {
  return /__[a-z]+$/i.test(name);
}

/** Resolves object and field names the way a deploy would, within what force-app defines. */
export class PackageIndex {
  constructor(readonly pkg: PackageProject) {}

  object(name: string): ObjectDef | undefined {
    return this.pkg.objects.get(withoutNamespace(this.pkg, name));
  }

  field(objectName: string, fieldName: string): FieldDef | undefined {
    const name = withoutNamespace(this.pkg, fieldName);
    return this.object(objectName)?.fields.find((f) => f.name === name);
  }

  /**
   * Why `objectName.fieldName` cannot be resolved, or undefined when it can. Standard fields of
   * standard objects are assumed to exist: the platform, not force-app, defines them.
   */
  missingField(objectName: string, fieldName: string): string | undefined {
    const object = this.object(objectName);
    if (isCustom(objectName) && !object) return `object ${objectName} is not defined in force-app`;
    if (isCustom(fieldName)) {
      return this.field(objectName, fieldName)
        ? undefined
        : `field ${objectName}.${fieldName} is not defined in force-app`;
    }
    if (object?.definedByPackage && !STANDARD_FIELDS_OF_CUSTOM_OBJECTS.has(fieldName)) {
      return `${objectName} has no standard field ${fieldName}`;
    }
    return undefined;
  }

  /** The object a lookup field points to (`Member__c`, `Contact__c` → `Contact`). */
  lookupTarget(objectName: string, fieldName: string): string | undefined {
    return this.field(objectName, fieldName)?.referenceTo;
  }

  /** The child object behind a child relationship (`Member__c`, `Activities__r` → `Activity__c`). */
  childObject(parentName: string, relationship: string): string | undefined {
    const parent = withoutNamespace(this.pkg, parentName);
    const name = withoutNamespace(this.pkg, relationship).replace(/__r$/, '');
    for (const object of this.pkg.objects.values()) {
      if (object.fields.some((f) => f.referenceTo === parent && f.relationshipName === name)) return object.name;
    }
    return undefined;
  }

  /**
   * One step of a report path from `objectName`: a child relationship (`Activities__r`, `Contacts`),
   * or a lookup (`Contact__c`, `Contact__r`, `Account`). Custom steps must resolve within force-app;
   * a standard step the table below does not know is `unknown`, since only the platform defines it.
   */
  step(objectName: string, step: string): Resolution {
    const current = withoutNamespace(this.pkg, objectName);
    const name = withoutNamespace(this.pkg, step);
    if (isCustom(name)) {
      const object = this.childObject(current, name) ?? this.lookupTarget(current, name.replace(/__r$/, '__c'));
      return object ? { object } : { missing: `${current} has no relationship or lookup ${name} in force-app` };
    }
    const standard = STANDARD_RELATIONSHIPS[`${current}.${name}`] ?? STANDARD_RELATIONSHIPS[`*.${name}`];
    return standard ? { object: standard } : { unknown: true };
  }

  /** Follows a report path such as `Member__c.Activities__r` or `Account.Contacts.Community_Members__r`. */
  resolveTable(table: string): Resolution {
    const [base, ...steps] = table.split('.');
    let current: Resolution = { object: withoutNamespace(this.pkg, base) };
    if (isCustom(base) && !this.object(base)) return { missing: `object ${base} is not defined in force-app` };
    for (const step of steps) {
      if (!('object' in current)) return current;
      current = this.step(current.object, step);
    }
    return current;
  }
}

/** Where a report path leads: an object, a reason it cannot resolve, or a standard step only an org knows. */
export type Resolution = { object: string } | { missing: string } | { unknown: true };

/**
 * Standard relationships the package's report types follow (`*` = on every object). Anything else
 * standard is left to the org: an offline check cannot know it.
 */
const STANDARD_RELATIONSHIPS: Record<string, string> = {
  'Account.Contacts': 'Contact',
  'Account.Opportunities': 'Opportunity',
  'Account.Cases': 'Case',
  'Account.ChildAccounts': 'Account',
  'Account.Parent': 'Account',
  'Contact.Account': 'Account',
  'Contact.ReportsTo': 'Contact',
  'Opportunity.Account': 'Account',
  'Case.Account': 'Account',
  'Case.Contact': 'Contact',
  'Lead.ConvertedAccount': 'Account',
  'Lead.ConvertedContact': 'Contact',
  'Lead.ConvertedOpportunity': 'Opportunity',
  '*.Owner': 'User',
  '*.CreatedBy': 'User',
  '*.LastModifiedBy': 'User',
};
