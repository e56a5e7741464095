import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { listFiles, type ConvertedPackage } from './convert';
import type { PackageFinding } from './finding';
import { projectPath } from './project';

/** Files that exist in a checkout but must never reach an org. */
const NEVER_DEPLOYED: [RegExp, string][] = [
  [/\.ts$/, 'TypeScript source must not deploy: .forceignore must list **/lwc/**/*.ts'],
  [/(^|\/)__tests__\//, 'tests must not deploy: .forceignore must list **/__tests__/**'],
  [/(^|\/)(tsconfig|jsconfig)[^/]*\.json$/, 'compiler settings must not deploy: .forceignore must list them'],
  [
    /\.ecaGlblOauth(-meta\.xml)?$|(^|\/)extlClntAppGlobalOauthSets\//,
    'External Client App global OAuth settings hold the consumer secret and must never deploy: .forceignore must list them',
  ],
];

/** Every folder directly inside an `lwc` folder of the package directories: the source bundles. */
function sourceBundles(packageDirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.name === 'lwc') {
        for (const bundle of readdirSync(path))
          if (statSync(join(path, bundle)).isDirectory()) out.push(join(path, bundle));
      } else {
        walk(path);
      }
    }
  };
  for (const dir of packageDirs) if (existsSync(dir)) walk(dir);
  return out.sort();
}

/** The files a bundle must deploy: its `.js` and `.js-meta.xml`, the `.js` of each `.ts`, templates and styles. */
function expectedFiles(name: string, source: string[]): string[] {
  const compiled = source
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => f.replace(/\.ts$/, '.js'));
  const markup = source.filter((f) => f.endsWith('.html') || f.endsWith('.css'));
  return [...new Set([`${name}.js`, `${name}.js-meta.xml`, ...compiled, ...markup])];
}

function bundleFindings(root: string, sourceDir: string, outputDir: string): PackageFinding[] {
  const name = basename(sourceDir);
  const source = readdirSync(sourceDir);
  const deployed = listFiles(outputDir);
  const where = projectPath(root, sourceDir);
  const findings: PackageFinding[] = [];
  for (const file of expectedFiles(name, source)) {
    if (deployed.includes(file)) continue;
    const fix = file.endsWith('.js') ? 'run npm run build' : 'add it to the bundle';
    findings.push({ check: 'payload', file: `${where}/${file}`, message: `missing from the deploy payload (${fix})` });
  }
  for (const file of deployed.filter((f) => f.endsWith('.js'))) {
    const ts = file.replace(/\.js$/, '.ts');
    // .gitignore keeps every LWC .js out of git, so a .js without its .ts is a leftover of an old build.
    if (!source.includes(ts)) {
      findings.push({
        check: 'payload',
        file: `${where}/${file}`,
        message: `has no ${ts}: a stale build output that would deploy; delete it`,
      });
    }
    if (/__(es)?[dD]ecorate\(/.test(readFileSync(join(outputDir, file), 'utf8'))) {
      findings.push({
        check: 'payload',
        file: `${where}/${file}`,
        message:
          'compiled with decorator helpers: tsconfig.json must keep experimentalDecorators false and target ESNext',
      });
    }
  }
  return findings;
}

/**
 * What is wrong with the converted package compared with the source: files that must never deploy,
 * and for each source bundle a missing compiled `.js`, template or meta file, a stale `.js`, or
 * decorator helpers that break the component on the platform.
 */
export function payloadFindings(root: string, packageDirs: string[], converted: ConvertedPackage): PackageFinding[] {
  const findings: PackageFinding[] = [];
  for (const file of listFiles(converted.dir)) {
    for (const [pattern, message] of NEVER_DEPLOYED) {
      if (pattern.test(file)) findings.push({ check: 'payload', file: `(deploy payload) ${file}`, message });
    }
  }
  for (const sourceDir of sourceBundles(packageDirs)) {
    const name = basename(sourceDir);
    findings.push(...bundleFindings(root, sourceDir, join(converted.dir, 'lwc', name)));
  }
  return findings;
}
