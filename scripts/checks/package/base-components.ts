import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/** One entry of `lightning-base-components/metadata/raptor.json`. */
interface RaptorEntry {
  minVersion?: string;
  properties?: { name: string }[];
}

/** What the platform publishes about one `lightning/*` module. */
export interface BaseModule {
  /** `lightning/button` */
  name: string;
  /** The first API version that has it; undefined when raptor.json gives none. */
  minVersion?: number;
  /** Public properties (camelCase), its own from raptor.json plus those inherited through `extends`. */
  properties: Set<string>;
}

/** The pinned base components package: `metadata/raptor.json` and the open-source `src/lightning`. */
const BASE_COMPONENTS_DIR = dirname(require.resolve('lightning-base-components/package.json'));

/**
 * The `lightning/*` modules the platform provides, read from the base components' published metadata
 * (`metadata/raptor.json`). raptor.json lists each component's own public properties; those it inherits
 * (`disabled` on `lightning-button` comes from `lightning/primitiveButton`) are found by following the
 * `extends` clause of its source in `src/lightning` up the chain and reading each ancestor's `@api` members.
 */
export class BaseComponents {
  private readonly raptor: Record<string, RaptorEntry>;
  private readonly apiCache = new Map<string, { api: string[]; parent?: string }>();
  private readonly modules = new Map<string, BaseModule | undefined>();

  constructor(private readonly dir: string = BASE_COMPONENTS_DIR) {
    this.raptor = JSON.parse(readFileSync(join(dir, 'metadata', 'raptor.json'), 'utf8')) as Record<string, RaptorEntry>;
  }

  /** The module `lightning/<name>`, or undefined when the platform has no such module. */
  module(moduleName: string): BaseModule | undefined {
    if (!this.modules.has(moduleName)) this.modules.set(moduleName, this.load(moduleName));
    return this.modules.get(moduleName);
  }

  private load(moduleName: string): BaseModule | undefined {
    const name = moduleName.replace(/^lightning\//, '');
    const entry = this.raptor[name];
    if (!entry) return undefined;
    const properties = new Set((entry.properties ?? []).map((p) => p.name));
    const seen = new Set([name]);
    for (let parent = this.source(name).parent; parent && !seen.has(parent); parent = this.source(parent).parent) {
      seen.add(parent);
      for (const prop of this.source(parent).api) properties.add(prop);
    }
    const minVersion = entry.minVersion === undefined ? undefined : Number(entry.minVersion);
    return { name: `lightning/${name}`, minVersion, properties };
  }

  /** The `@api` members of `src/lightning/<name>/<name>.js` and the `lightning/*` class it extends. */
  private source(name: string): { api: string[]; parent?: string } {
    let cached = this.apiCache.get(name);
    if (!cached) {
      const file = join(this.dir, 'src', 'lightning', name, `${name}.js`);
      cached = existsSync(file) ? readClass(file) : { api: [] };
      this.apiCache.set(name, cached);
    }
    return cached;
  }
}

function isApi(decorator: ts.Decorator): boolean {
  const expression = decorator.expression;
  return ts.isIdentifier(expression) && expression.text === 'api';
}

/** Reads the default-exported class of a base component: its `@api` member names and its `lightning/*` superclass. */
function readClass(file: string): { api: string[]; parent?: string } {
  const sourceFile = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    false,
    ts.ScriptKind.JS,
  );
  const imports = new Map<string, string>();
  let result: { api: string[]; parent?: string } = { api: [] };
  for (const statement of sourceFile.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const local = statement.importClause?.name?.text;
      const from = statement.moduleSpecifier.text;
      if (local && from.startsWith('lightning/')) imports.set(local, from.slice('lightning/'.length));
    }
    if (!ts.isClassDeclaration(statement)) continue;
    if (!ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) continue;
    const superclass = statement.heritageClauses?.[0]?.types[0]?.expression;
    const api = statement.members
      .filter((m) => ts.isPropertyDeclaration(m) || ts.isGetAccessor(m) || ts.isSetAccessor(m))
      .filter((m) => (ts.getDecorators(m) ?? []).some(isApi))
      .map((m) => (m.name && ts.isIdentifier(m.name) ? m.name.text : ''))
      .filter(Boolean);
    result = { api, parent: superclass && ts.isIdentifier(superclass) ? imports.get(superclass.text) : undefined };
  }
  return result;
}
