/** What the package check needs to know about one Apex class. */
export interface ApexClassInfo {
  /** Path relative to the project root, forward slashes. */
  file: string;
  /** `with sharing`, `without sharing`, `inherited sharing`, or undefined when the class declares none. */
  sharing?: string;
  /** Methods annotated `@AuraEnabled`, by name (case-insensitive in Apex, so lower-cased), with their line. */
  auraEnabled: Map<string, { name: string; line: number; isStatic: boolean }>;
  /** Every other method name, lower-cased, to tell "not @AuraEnabled" from "does not exist". */
  otherMethods: Set<string>;
}

/**
 * Blanks comments and string literals (keeping line breaks and length), so a commented-out
 * annotation does not count and offsets still map to lines.
 */
function codeOnly(source: string): string {
  const blank = (text: string) => text.replace(/[^\n]/g, ' ');
  return source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\\n])*'/g, blank);
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** One annotation with optional arguments: `@AuraEnabled(cacheable=true)`, `@SuppressWarnings('x')`. */
const ANNOTATION = String.raw`@\w+(?:\s*\([^)]*\))?`;
const MODIFIER = String.raw`(?:public|global|private|protected|static|override|virtual|abstract|webservice|testmethod)`;
/** Annotations, modifiers, a return type (generics and arrays allowed), the name, then `(`. */
const METHOD = new RegExp(String.raw`((?:${ANNOTATION}\s*)*)((?:${MODIFIER}\s+)+)[\w.<>,\s\[\]]+?\s(\w+)\s*\(`, 'gi');

/**
 * Reads a top-level Apex class's sharing declaration and its methods from source. Apex is
 * case-insensitive, so names are compared lower-cased. A signature scan, not a parser: the Apex
 * check (prettier-plugin-apex, apex-ls) already proves the class compiles.
 */
export function readApexClass(file: string, source: string): ApexClassInfo {
  const code = codeOnly(source);
  const declaration = /\b((?:with|without|inherited)\s+sharing)\s+class\b/i.exec(code);
  const firstClass = /\bclass\s+\w+/i.exec(code);
  const info: ApexClassInfo = {
    file,
    sharing:
      declaration && firstClass && declaration.index < firstClass.index
        ? declaration[1].replace(/\s+/g, ' ').toLowerCase()
        : undefined,
    auraEnabled: new Map(),
    otherMethods: new Set(),
  };
  for (const match of code.matchAll(METHOD)) {
    const [, annotations, modifiers, name] = match;
    const key = name.toLowerCase();
    if (/@AuraEnabled\b/i.test(annotations)) {
      const line = lineAt(code, match.index + match[0].lastIndexOf(name));
      info.auraEnabled.set(key, { name, line, isStatic: /\bstatic\b/i.test(modifiers) });
    } else {
      info.otherMethods.add(key);
    }
  }
  return info;
}
