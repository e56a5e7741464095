import { join } from 'node:path';
import { Node, Project, SourceFile, Type } from 'ts-morph';
import { REPO_ROOT } from '../../metadata/project';

/** What one XML element may hold, as the Metadata API types in @salesforce/types describe it. */
export type Shape =
  { kind: 'string' | 'number' | 'boolean' | 'any' } | { kind: 'enum'; name: string; values: string[] } | ObjectShape;

export interface ObjectShape {
  kind: 'object';
  /** The type's name, e.g. `PermissionSetFieldPermissions`. */
  name: string;
  /** Child elements by name; computed on first use and cached. */
  properties(): Map<string, PropertyShape>;
}

export interface PropertyShape {
  /** True when the element may repeat (the type declares an array). */
  array: boolean;
  shape: Shape;
}

/** The Metadata API type definitions shipped with @salesforce/types. */
const METADATA_TYPES_FILE = join(REPO_ROOT, 'node_modules', '@salesforce', 'types', 'lib', 'metadata.d.ts');

/**
 * Reads the Metadata API's TypeScript definitions with ts-morph and answers "which child elements,
 * enum values and scalar kinds does type X allow". Loading costs about a second: build one per run.
 */
export class MetadataSchema {
  private readonly file: SourceFile;
  private readonly objects = new Map<string, ObjectShape>();

  constructor(typesFile: string = METADATA_TYPES_FILE) {
    const project = new Project({ skipAddingFilesFromTsConfig: true, compilerOptions: { strict: false } });
    this.file = project.addSourceFileAtPath(typesFile);
  }

  /** The shape of a top-level Metadata API type (`PermissionSet`), or undefined when no such type exists. */
  type(name: string): ObjectShape | undefined {
    const alias = this.file.getTypeAlias(name);
    if (!alias) return undefined;
    const shape = this.shapeOf(alias.getType(), alias);
    return shape.kind === 'object' ? shape : undefined;
  }

  private shapeOf(type: Type, at: Node): Shape {
    if (type.isAny() || type.isUnknown()) return { kind: 'any' };
    if (type.isBoolean() || type.isBooleanLiteral()) return { kind: 'boolean' };
    if (type.isString()) return { kind: 'string' };
    if (type.isNumber()) return { kind: 'number' };
    if (type.isStringLiteral()) return { kind: 'enum', name: type.getText(), values: [type.getText().slice(1, -1)] };
    if (type.isUnion()) return this.unionShape(type, at);
    if (type.isObject() || type.isIntersection()) return this.objectShape(type, at);
    return { kind: 'any' };
  }

  private unionShape(type: Type, at: Node): Shape {
    const members = type.getUnionTypes().filter((t) => !t.isUndefined() && !t.isNull());
    if (members.every((t) => t.isBooleanLiteral())) return { kind: 'boolean' };
    if (members.every((t) => t.isStringLiteral())) {
      const name = type.getAliasSymbol()?.getName() ?? 'enum';
      return { kind: 'enum', name, values: members.map((t) => t.getText().slice(1, -1)).sort() };
    }
    if (members.length === 1) return this.shapeOf(members[0], at);
    return { kind: 'any' };
  }

  private objectShape(type: Type, at: Node): ObjectShape {
    const name = type.getAliasSymbol()?.getName() ?? type.getSymbol()?.getName() ?? type.getText();
    const cached = this.objects.get(name);
    if (cached) return cached;
    let properties: Map<string, PropertyShape> | undefined;
    const shape: ObjectShape = {
      kind: 'object',
      name,
      properties: () => {
        properties ??= this.propertiesOf(type, at);
        return properties;
      },
    };
    this.objects.set(name, shape);
    return shape;
  }

  private propertiesOf(type: Type, at: Node): Map<string, PropertyShape> {
    const result = new Map<string, PropertyShape>();
    for (const symbol of type.getProperties()) {
      const declaration = symbol.getValueDeclaration() ?? at;
      const propType = symbol.getTypeAtLocation(declaration);
      const element = propType.isArray() ? propType.getArrayElementTypeOrThrow() : propType;
      result.set(symbol.getName(), { array: propType.isArray(), shape: this.shapeOf(element, declaration) });
    }
    return result;
  }
}
