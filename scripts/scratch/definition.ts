import { readFileSync } from 'node:fs';
import type { MetadataSchema, Shape } from '../checks/metadata/schema';

interface ScratchDefinition {
  edition?: string;
  settings?: Record<string, Record<string, unknown>>;
}

function valueProblem(shape: Shape, value: unknown): string | undefined {
  if (shape.kind === 'boolean' && typeof value !== 'boolean') return 'must be true or false';
  if (shape.kind === 'number' && typeof value !== 'number') return 'must be a number';
  if (shape.kind === 'enum' && !shape.values.includes(String(value)))
    return `must be one of ${shape.values.join(', ')}`;
  return undefined;
}

/**
 * Checks a scratch org definition offline: a Developer edition, and every `settings` entry a
 * Metadata API settings type (`lightningExperienceSettings` → LightningExperienceSettings) whose
 * fields exist with values of the right kind. An unknown setting otherwise fails only at
 * `sf org create scratch`, after minutes of waiting.
 */
export function checkScratchDefinition(file: string, schema: MetadataSchema): string[] {
  const definition = JSON.parse(readFileSync(file, 'utf8')) as ScratchDefinition;
  const problems: string[] = [];
  if (definition.edition !== 'Developer')
    problems.push(`edition is ${definition.edition}; the package is built on Developer`);
  for (const [setting, values] of Object.entries(definition.settings ?? {})) {
    const typeName = setting[0].toUpperCase() + setting.slice(1);
    const type = /Settings$/.test(typeName) ? schema.type(typeName) : undefined;
    if (!type) {
      problems.push(`settings.${setting}: no Metadata API settings type ${typeName}`);
      continue;
    }
    const properties = type.properties();
    for (const [name, value] of Object.entries(values)) {
      const property = properties.get(name);
      if (!property) {
        problems.push(
          `settings.${setting}.${name}: ${typeName} has no field ${name}; allowed: ${[...properties.keys()].sort().join(', ')}`,
        );
        continue;
      }
      const problem = valueProblem(property.shape, value);
      if (problem) problems.push(`settings.${setting}.${name} ${problem}`);
    }
  }
  return problems;
}
