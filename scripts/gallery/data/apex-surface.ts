import { readFileSync } from 'node:fs';
import * as prettier from 'prettier';
import * as apexPlugin from 'prettier-plugin-apex';

/** A parameter or property: its name and Apex type as written (`List<TightknitActivityRows.Row>`). */
export interface ApexMember {
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

const cls = (n: unknown): string => String((n as Node | undefined)?.['@class'] ?? '');
const ident = (n: unknown): string => String((n as Node | undefined)?.value ?? '');

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
      for (const d of (decls.decls as Node[]) ?? [decls]) fields.push({ name: ident(d.name), type: typeName(decls.type) });
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
 * Reads a class's `@AuraEnabled` methods and DTO properties with Salesforce's own Apex parser (jorje,
 * through prettier-plugin-apex, as the Apex format check uses it).
 */
export async function readApexSurface(file: string): Promise<ApexSurface> {
  const text = readFileSync(file, 'utf8');
  // prettier's parse-only entry point is not in its typings; it returns the parser's own AST.
  const debug = (prettier as unknown as { __debug: { parse(t: string, o: object): Promise<{ ast: Node }> } }).__debug;
  const parsed = await debug.parse(text, { parser: 'apex', plugins: [apexPlugin] });
  const output = parsed.ast['apex.jorje.semantic.compiler.parser.ParserOutput'] as Node;
  const body = (output.unit as Node).body as Node;
  const surface: ApexSurface = { className: ident(body.name), methods: [], dtos: new Map() };
  collect(body, surface.className, surface);
  return surface;
}
