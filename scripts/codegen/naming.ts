import type { FieldDef, ObjectDef } from '../metadata/project';

/** `Contact_Link_Status__c` → `Contact_Link_Status`; `Member__c` → `Member`. */
export function baseName(apiName: string): string {
  return apiName.replace(/__c$/, '');
}

/** `Contact_Link_Status` → `ContactLinkStatus`. */
function pascalCase(name: string): string {
  return name
    .split('_')
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

function plural(word: string): string {
  if (/(s|x|ch|sh)$/i.test(word)) return `${word}ES`;
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}IES`;
  return `${word}S`;
}

/**
 * The stem shared by a picklist's value array and its union type. A one-word field name
 * (`Status__c`, `Platform__c`) says little on its own, so it is prefixed with the object
 * (`Member_Status`); a longer one (`Engagement_Level__c`) stands alone.
 */
function picklistStem(object: ObjectDef, field: FieldDef): string {
  const field_ = baseName(field.name);
  return field_.includes('_') ? field_ : `${baseName(object.name)}_${field_}`;
}

/** `Member__c.Status__c` → `MEMBER_STATUSES`; `Activity__c.Activity_Type__c` → `ACTIVITY_TYPES`. */
export function picklistConstName(object: ObjectDef, field: FieldDef): string {
  return plural(picklistStem(object, field).toUpperCase());
}

/** `Member__c.Status__c` → `MemberStatus`; `Member__c.Engagement_Level__c` → `EngagementLevel`. */
export function picklistTypeName(object: ObjectDef, field: FieldDef): string {
  return pascalCase(picklistStem(object, field));
}
