import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../metadata/project';

/** A parameter or property: its name and Apex type as written (`List<TightknitActivityRows.Row>`). */
interface ApexMember {
  name: string;
  type: string;
}

/** The `@AuraEnabled` surface of one Apex class. */
export interface ApexSurface {
  className: string;
  methods: Array<{ name: string; params: ApexMember[]; returns: string }>;
  /** `Outer.Inner` → its `@AuraEnabled` properties, in declaration order. */
  dtos: Map<string, ApexMember[]>;
}

type Node = Record<string, unknown>;

const textOf = (v: unknown): string => (typeof v === 'string' ? v : '');
const cls = (n: unknown): string => textOf((n as Node | undefined)?.['@class']);
const ident = (n: unknown): string => textOf((n as Node | undefined)?.value);

function typeName(ref: unknown): string {
  const node = ref as Node;
  const base = ((node.names as unknown[]) ?? []).map(ident).join('.');
  const args = (node.typeArguments as unknown[]) ?? [];
  return args.length ? `${base}<${args.map(typeName).join(', ')}>` : base;
}

function auraEnabled(modifiers: unknown): boolean {
  return ((modifiers as unknown[]) ?? []).some(
    (m) => cls(m).endsWith('Modifier$Annotation') && ident((m as Node).name).toLowerCase() === 'auraenabled',
  );
}

function collect(classDecl: Node, path: string, surface: ApexSurface): void {
  const fields: ApexMember[] = [];
  for (const member of (classDecl.members as Node[]) ?? []) {
    const kind = cls(member);
    if (kind.endsWith('$InnerClassMember')) {
      const inner = member.body as Node;
      collect(inner, `${path}.${ident(inner.name)}`, surface);
    } else if (kind.endsWith('$FieldMember') || kind.endsWith('$PropertyMember')) {
      const decls = (member.variableDecls ?? member.propertyDecl) as Node;
      if (!auraEnabled(decls.modifiers)) continue;
      for (const d of (decls.decls as Node[]) ?? [decls])
        fields.push({ name: ident(d.name), type: typeName(decls.type) });
    } else if (kind.endsWith('$MethodMember') && path === surface.className) {
      const decl = member.methodDecl as Node;
      if (!auraEnabled(decl.modifiers)) continue;
      const returns = (decl.type as Node | undefined)?.value;
      surface.methods.push({
        name: ident(decl.name),
        params: ((decl.parameters as Node[]) ?? []).map((p) => ({ name: ident(p.name), type: typeName(p.typeRef) })),
        returns: returns ? typeName(returns) : 'void',
      });
    }
  }
  if (fields.length) surface.dtos.set(path, fields);
}

/**
 * Reads the classes' `@AuraEnabled` methods and DTO properties with Salesforce's own Apex parser (jorje,
 * through prettier-plugin-apex, as the Apex format check uses it), in one child process for all files.
 */
export function readApexSurfaces(files: string[]): ApexSurface[] {
  const tsx = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const result = spawnSync(process.execPath, [tsx, join(__dirname, 'apex-ast.ts'), ...files], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`Parsing Apex failed: ${result.stderr || result.error?.message || ''}`);
  return (JSON.parse(result.stdout) as Node[]).map((body) => {
    const surface: ApexSurface = { className: ident(body.name), methods: [], dtos: new Map() };
    collect(body, surface.className, surface);
    return surface;
  });
}
