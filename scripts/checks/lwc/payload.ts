import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../../metadata/project';
import { SF_BIN, sfEnv } from '../../scratch/sf';

/**
 * Copies the project (sfdx-project.json, .forceignore, force-app) to a temp dir, so decoy files can be
 * added without touching the checkout, and returns the copy's path.
 */
export function copyProject(root: string = REPO_ROOT): string {
  const copy = mkdtempSync(join(tmpdir(), 'tk-payload-'));
  for (const entry of ['sfdx-project.json', '.forceignore', 'force-app']) {
    cpSync(join(root, entry), join(copy, entry), { recursive: true });
  }
  return copy;
}

/** `sf project convert source` into `<project>/mdapi`; throws with sf's output when it fails. */
export function convertSource(project: string): string {
  const out = join(project, 'mdapi');
  try {
    execFileSync(SF_BIN, ['project', 'convert', 'source', '--root-dir', 'force-app', '--output-dir', out, '--json'], {
      cwd: project,
      env: sfEnv(),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? String(error);
    throw new Error(`sf project convert source failed:\n${output}`);
  }
  return out;
}

/** Every file under `dir`, relative to it, forward slashes. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(relative(dir, path).split('\\').join('/'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

/**
 * What is wrong with the converted LWC bundles in `out` compared with the source bundles in
 * `sourceLwc`: each bundle must carry the compiled `.js` of every non-test `.ts` (and no `.js` without
 * one), its template when the source has one, its `.js-meta.xml`, no TypeScript and no test or compiler files, and the
 * compiled JS must keep decorators as written (no `__decorate` helpers).
 */
export function payloadProblems(sourceLwc: string, out: string): string[] {
  const problems: string[] = [];
  const deployed = listFiles(out);
  for (const file of deployed) {
    if (/\.ts$|(^|\/)__tests__\/|(^|\/)(tsconfig|jsconfig)[^/]*\.json$/.test(file)) {
      problems.push(`${file} must not deploy (.forceignore should exclude it)`);
    }
    if (/\.ecaGlblOauth(-meta\.xml)?$|extlClntAppGlobalOauthSets\//.test(file)) {
      problems.push(`${file}: External Client App global OAuth settings (consumer secret) must never deploy`);
    }
  }
  const bundles = existsSync(sourceLwc)
    ? readdirSync(sourceLwc).filter((b) => statSync(join(sourceLwc, b)).isDirectory())
    : [];
  for (const bundle of bundles) {
    const source = readdirSync(join(sourceLwc, bundle));
    const inBundle = deployed
      .filter((f) => f.startsWith(`lwc/${bundle}/`))
      .map((f) => f.slice(`lwc/${bundle}/`.length));
    const expected = [
      `${bundle}.js`,
      `${bundle}.js-meta.xml`,
      ...source.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => f.replace(/\.ts$/, '.js')),
      ...source.filter((f) => f.endsWith('.html') || f.endsWith('.css')),
    ];
    for (const file of new Set(expected)) {
      if (!inBundle.includes(file))
        problems.push(`lwc/${bundle}/${file} is missing from the deploy payload (run npm run build)`);
    }
    for (const file of inBundle.filter((f) => f.endsWith('.js'))) {
      // .gitignore keeps every lwc .js out of git, so a .js without its .ts is a leftover of an old build.
      if (!source.includes(file.replace(/\.js$/, '.ts'))) {
        problems.push(`lwc/${bundle}/${file} has no ${file.replace(/\.js$/, '.ts')}: a stale build output; delete it`);
      }
      if (/__(es)?[dD]ecorate\(/.test(readFileSync(join(out, 'lwc', bundle, file), 'utf8'))) {
        problems.push(
          `lwc/${bundle}/${file} has decorator helpers: tsconfig must keep experimentalDecorators false, target ESNext`,
        );
      }
    }
  }
  return problems;
}
