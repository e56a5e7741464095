import { ExtraFieldSpec } from '../types';
import { field, SField } from './model';
import { STANDARD_OBJECTS } from './standard-objects';

/**
 * The subscriber's own custom fields on standard objects (`EmulatorOptions.extraFields`), e.g. a second
 * email field on Contact. They carry no FLS key: like fields a subscriber admin made visible to every
 * profile, they are readable and editable unless `grants.hiddenFields` names them. Checked at start so
 * a test with a typo fails with the cause instead of a confusing INVALID_FIELD later.
 */
export function extraFieldDefs(
  specs: Record<string, ExtraFieldSpec[]> | undefined,
  existing: (object: string) => string[],
): Map<string, SField[]> {
  const out = new Map<string, SField[]>();
  for (const [objectName, list] of Object.entries(specs ?? {})) {
    const spec = STANDARD_OBJECTS.find((o) => o.name.toLowerCase() === objectName.toLowerCase());
    if (!spec || spec.setup || spec.tooling)
      throw new Error(
        `extraFields: ${objectName} is not a standard object of the emulated org that takes custom fields; use one of ${STANDARD_OBJECTS.filter(
          (o) => !o.setup && !o.tooling,
        )
          .map((o) => o.name)
          .join(', ')}`,
      );
    const taken = new Set(existing(spec.name).map((n) => n.toLowerCase()));
    out.set(
      spec.name,
      list.map((f) => {
        if (!/^[A-Za-z][A-Za-z0-9_]*__c$/.test(f.name) || f.name.includes('___'))
          throw new Error(
            `extraFields: ${spec.name}.${f.name} is not a custom field API name; end it in __c (e.g. Work_Email__c)`,
          );
        if (taken.has(f.name.toLowerCase())) throw new Error(`extraFields: ${spec.name}.${f.name} is defined twice`);
        taken.add(f.name.toLowerCase());
        return toField(f);
      }),
    );
  }
  return out;
}

function toField(f: ExtraFieldSpec): SField {
  const label = f.label ?? f.name.replace(/__c$/, '').replace(/_/g, ' ');
  switch (f.type) {
    case 'email':
      return field(f.name, 'email', { label, custom: true });
    case 'string':
      return field(f.name, 'string', { label, custom: true, length: f.length ?? 255 });
    case 'number':
      return field(f.name, 'double', { label, custom: true, precision: 18, scale: 0 });
    case 'boolean':
      return field(f.name, 'boolean', { label, custom: true, nillable: false, defaultValue: false });
    default:
      throw new Error(`extraFields: ${f.name} has type ${String(f.type)}; use email, string, number or boolean`);
  }
}
