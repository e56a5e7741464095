/**
 * The stand-in cannot drift from the Apex: every controller method the gallery answers, its parameters
 * and every DTO property are compared with the classes in force-app, read by Salesforce's Apex parser.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { REPO_ROOT } from '../../metadata/project';
import { readApexSurfaces, type ApexSurface } from '../data/apex-surface';
import { apexNameOf, CONTRACT } from '../data/contract';
import { COMPONENTS } from '../catalog';

const CLASSES = join(REPO_ROOT, 'force-app', 'main', 'default', 'classes');
const LWC = join(REPO_ROOT, 'force-app', 'main', 'default', 'lwc');
// Every controller, and every class whose DTOs they return, parsed once.
const surfaces = new Map(
  readApexSurfaces(
    [...new Set([...Object.keys(CONTRACT), 'TightknitActivityRows', 'TightknitHealthCheck'])].map((c) =>
      join(CLASSES, `${c}.cls`),
    ),
  ).map((s) => [s.className, s]),
);

function surface(className: string): ApexSurface {
  const s = surfaces.get(className);
  if (!s) throw new Error(`${className}.cls was not parsed; add it to the list above.`);
  return s;
}

function unwrap(schema: z.ZodType): z.ZodType {
  const def = schema.def as { type: string; innerType?: z.ZodType };
  return (def.type === 'nullable' || def.type === 'optional') && def.innerType ? unwrap(def.innerType) : schema;
}

const SCALARS: Record<string, string> = {
  Id: 'string',
  String: 'string',
  Datetime: 'string',
  Date: 'string',
  Integer: 'number',
  Long: 'number',
  Decimal: 'number',
  Double: 'number',
  Boolean: 'boolean',
};

/** Why `schema` does not stand for the Apex type written in class `owner`, or '' when it does. */
async function mismatch(apexType: string, schema: z.ZodType, owner: string): Promise<string> {
  const s = unwrap(schema);
  const def = s.def as { type: string; element?: z.ZodType };
  const list = /^List<(.+)>$/.exec(apexType);
  if (list)
    return def.type === 'array' && def.element ? mismatch(list[1], def.element, owner) : `${apexType} is not an array`;
  if (SCALARS[apexType])
    return def.type === SCALARS[apexType] ? '' : `${apexType} should be a ${SCALARS[apexType]}, not ${def.type}`;
  const qualified = apexType.includes('.') ? apexType : `${owner}.${apexType}`;
  return apexNameOf(s) === qualified
    ? ''
    : `${apexType} should be the DTO ${qualified}, not ${apexNameOf(s) ?? def.type}`;
}

describe('the gallery stand-in matches the Apex controllers', () => {
  it.each(Object.keys(CONTRACT))('%s: same @AuraEnabled methods, parameters and return types', async (className) => {
    const apex = surface(className);
    const ours = CONTRACT[className as keyof typeof CONTRACT] as Record<
      string,
      { params: z.ZodObject; returns: z.ZodType }
    >;
    expect(Object.keys(ours).sort()).toEqual(apex.methods.map((m) => m.name).sort());
    for (const m of apex.methods) {
      const spec = ours[m.name];
      expect({ method: m.name, params: Object.keys(spec.params.shape) }).toEqual({
        method: m.name,
        params: m.params.map((p) => p.name),
      });
      for (const p of m.params)
        expect(
          `${m.name}(${p.name}): ${await mismatch(p.type, spec.params.shape[p.name] as z.ZodType, className)}`,
        ).toBe(`${m.name}(${p.name}): `);
      expect(`${m.name} returns: ${await mismatch(m.returns, spec.returns, className)}`).toBe(`${m.name} returns: `);
    }
  });

  it('every DTO has exactly the Apex properties, with matching types', async () => {
    const schemas = new Map<string, z.ZodObject>();
    const visit = (schema: z.ZodType): void => {
      const s = unwrap(schema);
      const def = s.def as { type: string; element?: z.ZodType };
      if (def.type === 'array' && def.element) return visit(def.element);
      const name = apexNameOf(s);
      if (!name || schemas.has(name)) return;
      schemas.set(name, s as z.ZodObject);
      for (const field of Object.values((s as z.ZodObject).shape)) visit(field as z.ZodType);
    };
    for (const methods of Object.values(CONTRACT)) for (const m of Object.values(methods)) visit(m.returns);
    expect(schemas.size).toBeGreaterThan(10);
    for (const [name, schema] of schemas) {
      const [owner] = name.split('.');
      const fields = surface(owner).dtos.get(name);
      expect({ dto: name, found: fields !== undefined }).toEqual({ dto: name, found: true });
      expect({ dto: name, fields: Object.keys(schema.shape) }).toEqual({
        dto: name,
        fields: fields?.map((f) => f.name),
      });
      for (const f of fields ?? [])
        expect(`${name}.${f.name}: ${await mismatch(f.type, schema.shape[f.name] as z.ZodType, owner)}`).toBe(
          `${name}.${f.name}: `,
        );
    }
  });

  it("answers every Apex method the gallery's components import", () => {
    const bundles = new Set<string>();
    for (const c of COMPONENTS) bundles.add(c.bundle);
    // The shared table and error panel come along with the record-page components.
    for (const bundle of readdirSync(LWC)) if (bundles.has(bundle)) bundles.add(bundle);
    const imported: string[] = [];
    for (const bundle of bundles) {
      for (const file of readdirSync(join(LWC, bundle)).filter((f) => f.endsWith('.ts'))) {
        const source = readFileSync(join(LWC, bundle, file), 'utf8');
        for (const m of source.matchAll(/from '@salesforce\/apex\/(\w+)\.(\w+)'/g)) imported.push(`${m[1]}.${m[2]}`);
      }
    }
    expect(imported.length).toBeGreaterThan(10);
    const answered = Object.entries(CONTRACT).flatMap(([c, methods]) => Object.keys(methods).map((m) => `${c}.${m}`));
    expect(imported.filter((i) => !answered.includes(i))).toEqual([]);
    for (const className of Object.keys(CONTRACT)) expect(existsSync(join(CLASSES, `${className}.cls`))).toBe(true);
  });
});
