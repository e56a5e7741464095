import { readFileSync } from 'node:fs';
import * as prettier from 'prettier';
import * as apexPlugin from 'prettier-plugin-apex';

/*
 * Prints the syntax tree of each Apex file given (Salesforce's jorje parser, through prettier-plugin-apex)
 * as one JSON array, locations dropped. apex-surface.ts runs it in its own process: the plugin is an ES
 * module, which jest's module system cannot load.
 */

function withoutLocations(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLocations);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node as Record<string, unknown>)
      .filter(([key]) => key !== 'loc' && key !== 'location')
      .map(([key, value]) => [key, withoutLocations(value)]),
  );
}

async function main(files: string[]): Promise<void> {
  // prettier's parse-only entry point is not in its typings; it returns the parser's own AST.
  const debug = (
    prettier as unknown as { __debug: { parse(t: string, o: object): Promise<{ ast: Record<string, unknown> }> } }
  ).__debug;
  const trees: unknown[] = [];
  for (const file of files) {
    const { ast } = await debug.parse(readFileSync(file, 'utf8'), { parser: 'apex', plugins: [apexPlugin] });
    const output = ast['apex.jorje.semantic.compiler.parser.ParserOutput'] as Record<string, unknown>;
    trees.push(withoutLocations((output.unit as Record<string, unknown>).body));
  }
  process.stdout.write(JSON.stringify(trees));
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
