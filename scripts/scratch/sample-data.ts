import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FieldDef, PackageProject } from '../metadata/project';
import { withNamespace } from '../metadata/project';

interface PlanEntry {
  sobject: string;
  saveRefs?: boolean;
  resolveRefs?: boolean;
  files: string[];
}

interface TreeRecord {
  attributes: { type: string; referenceId: string };
  [field: string]: unknown;
}

const LENGTH_BY_TYPE: Record<string, number> = { Email: 80, Url: 255, Phone: 40, TextArea: 255 };

/** Fields the plan may set on a package object besides its custom fields. */
const STANDARD_FIELDS = new Set(['Name', 'OwnerId']);

function valueProblem(field: FieldDef, value: unknown): string | undefined {
  switch (field.type) {
    case 'Checkbox':
      return typeof value === 'boolean' ? undefined : 'must be true or false';
    case 'Number':
    case 'Currency':
    case 'Percent':
      return typeof value === 'number' ? undefined : 'must be a number';
    case 'DateTime':
    case 'Date':
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? undefined : 'must be an ISO date';
    case 'Picklist':
      return field.picklistValues?.includes(String(value))
        ? undefined
        : `"${String(value)}" is not one of ${field.picklistValues?.join(', ')}`;
    default: {
      if (typeof value !== 'string') return 'must be text';
      const max = field.length ?? LENGTH_BY_TYPE[field.type];
      return max !== undefined && value.length > max
        ? `is ${value.length} characters; the field holds ${max}`
        : undefined;
    }
  }
}

/**
 * Checks an `sf data import tree` plan against the package without an org: every record's type
 * matches its plan entry, every custom field exists with a valid value (picklist, length, type),
 * required fields are set, and every `@ref` points to a record saved earlier with the right type.
 * Returns one line per problem.
 */
export function checkSampleData(planFile: string, pkg: PackageProject): string[] {
  const problems: string[] = [];
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as PlanEntry[];
  const saved = new Map<string, string>(); // referenceId → object type
  const byNamespacedName = new Map([...pkg.objects.values()].map((o) => [withNamespace(pkg.namespace, o.name), o]));
  for (const entry of plan) {
    const object = byNamespacedName.get(entry.sobject);
    for (const file of entry.files) {
      const { records } = JSON.parse(readFileSync(join(dirname(planFile), file), 'utf8')) as { records: TreeRecord[] };
      for (const record of records) {
        const where = `${file} ${record.attributes.referenceId}`;
        if (record.attributes.type !== entry.sobject) {
          problems.push(`${where}: type ${record.attributes.type} differs from the plan's ${entry.sobject}`);
        }
        const fields = new Map(
          [...(object?.nameField ? [object.nameField] : []), ...(object?.fields ?? [])].map((f) => [
            withNamespace(pkg.namespace, f.name),
            f,
          ]),
        );
        for (const [name, value] of Object.entries(record)) {
          if (name === 'attributes') continue;
          const field = fields.get(name);
          if (!field) {
            if (/__c$/.test(name) || (object?.definedByPackage && !STANDARD_FIELDS.has(name))) {
              problems.push(`${where}: ${entry.sobject} has no field ${name} in force-app`);
            }
          } else if (typeof value === 'string' && value.startsWith('@')) {
            const target = saved.get(value.slice(1));
            const expected = field.referenceTo && withNamespace(pkg.namespace, field.referenceTo);
            if (!target) problems.push(`${where}: ${name} refers to ${value}, which no earlier plan entry saves`);
            else if (expected && target !== expected)
              problems.push(`${where}: ${name} needs a ${expected}, ${value} is a ${target}`);
          } else {
            const problem = valueProblem(field, value);
            if (problem) problems.push(`${where}: ${name} ${problem}`);
          }
        }
        for (const [name, field] of fields) {
          if (field.required && field.type !== 'AutoNumber' && record[name] === undefined) {
            problems.push(`${where}: required field ${name} is missing`);
          }
        }
        if (entry.saveRefs) saved.set(record.attributes.referenceId, entry.sobject);
      }
    }
  }
  return problems;
}
