import ts from 'typescript';

/** One function-like node of a source file, with where it starts and how many lines it spans. */
interface FunctionSize {
  /** Readable name: `fn`, `Class.method`, `const name = () => …`, or `<anonymous>`. */
  name: string;
  /** 1-based line of the function's first token. */
  line: number;
  /** Lines from the first to the last token, both included. */
  lines: number;
}

/** The measured sizes of one file. */
export interface FileSize {
  lines: number;
  functions: FunctionSize[];
}

/**
 * Counts the lines of `text` the way `wc -l` does for a file that ends in a newline, and measures
 * every function, method, accessor, constructor, function expression and arrow function in it.
 * Nested functions are measured on their own too, so an outer function's size includes theirs.
 */
export function measureSource(fileName: string, text: string): FileSize {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(fileName));
  const functions: FunctionSize[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      functions.push({ name: nameOf(node, source), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { lines: countLines(text), functions };
}

function countLines(text: string): number {
  if (text === '') return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

function scriptKind(fileName: string): ts.ScriptKind {
  return fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

function nameOf(node: ts.SignatureDeclaration, source: ts.SourceFile): string {
  const own = node.name ? propertyName(node.name, source) : undefined;
  if (ts.isConstructorDeclaration(node)) return `${className(node) ?? '<class>'}.constructor`;
  if (ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) {
    const owner = className(node);
    return owner ? `${owner}.${own ?? '<method>'}` : (own ?? '<method>');
  }
  if (own) return own;
  // An unnamed function takes the name of what it is assigned to: a variable, a property, an export default.
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return propertyName(parent.name, source);
  }
  if (ts.isExportAssignment(parent)) return 'default';
  return '<anonymous>';
}

function propertyName(name: ts.Node, source: ts.SourceFile): string {
  return ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name)
    ? name.text
    : name.getText(source);
}

function className(node: ts.Node): string | undefined {
  const parent = node.parent;
  if ((ts.isClassDeclaration(parent) || ts.isClassExpression(parent)) && parent.name) return parent.name.text;
  if (ts.isObjectLiteralExpression(parent)) {
    const holder = parent.parent;
    if (ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) return holder.name.text;
  }
  return undefined;
}
