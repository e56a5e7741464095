import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile } from '@lwc/sfdc-lwc-compiler';
import type { ConvertedBundle } from './convert';
import { listFiles } from './convert';
import type { PackageFinding } from './finding';
import { sourcePlace } from './source-lines';

/**
 * One thing a bundle references by name, as the platform compiler reports it: `type` is `apexMethod`,
 * `label`, `component`, `module`, ...; `id` is `Class.method`, `c.Label_Name`, `lightning-button`, ...
 */
export type CompilerReference = NonNullable<Awaited<ReturnType<typeof compile>>['metadata']>['references'][number];

/** The compiler's view of one bundle: its diagnostics as findings, and what it references. */
export interface CompiledBundle {
  bundle: ConvertedBundle;
  findings: PackageFinding[];
  references: CompilerReference[];
  /** The component's `@api` properties (of `<name>.js`), which other templates may set; undefined when it did not compile. */
  publicProperties?: Set<string>;
}

/** Diagnostic levels of @lwc/errors: 0 fatal, 1 error, 2 warning, 3 log. */
const LEVELS = ['fatal', 'error', 'warning', 'log'];

/** The files the platform compiles: everything the bundle deploys but its meta file. */
function bundleFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const file of listFiles(dir).filter((f) => !f.endsWith('-meta.xml'))) {
    files[file] = readFileSync(join(dir, file), 'utf8');
  }
  return files;
}

/** The first line of the code a diagnostic points at (`dataSource` for a bad property name). */
function pointedAt(text: string | undefined, location?: { start?: number; length?: number }): string | undefined {
  if (text === undefined || location?.start === undefined || !location.length) return undefined;
  return (
    text
      .slice(location.start, location.start + location.length)
      .split('\n')[0]
      .trim() || undefined
  );
}

/**
 * Compiles one converted bundle with the Salesforce platform's LWC compiler in platform mode, the
 * way a deploy does: `c` maps to the package namespace, at the project's API version. Every
 * diagnostic, warnings included, is a finding at the source line it came from.
 */
export async function compileBundle(
  root: string,
  bundle: ConvertedBundle,
  namespace: string,
  apiVersion: number,
): Promise<CompiledBundle> {
  const files = bundleFiles(bundle.outputDir);
  const output = await compile({
    bundle: {
      type: 'platform',
      name: bundle.name,
      namespace,
      namespaceMapping: { c: namespace },
      files,
      options: { apiVersion },
    },
  });
  const findings = output.diagnostics.map((d): PackageFinding => {
    const file = d.filename ?? `${bundle.name}.js`;
    const place = sourcePlace(root, bundle.sourceDir, file, d.location?.line, pointedAt(files[file], d.location));
    return {
      check: 'compile',
      file: place.file,
      line: place.line,
      message: `${LEVELS[d.level] ?? 'error'}: ${d.message}`,
    };
  });
  const publicProperties = !output.success
    ? undefined
    : new Set(
        (output.metadata?.decorators ?? [])
          .filter((d) => d.type === 'api' && d.filename === `${bundle.name}.js`)
          .flatMap((d) => (d.type === 'api' ? d.targets : []))
          .filter((t) => t.type === 'property')
          .map((t) => t.name),
      );
  return { bundle, findings, references: output.metadata?.references ?? [], publicProperties };
}
