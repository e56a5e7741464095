import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import lwc from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';
import { rollup } from 'rollup';
import { REPO_ROOT } from '../metadata/project';
import { APP_DIR, OUT_DIR, PUBLIC_DIR } from './paths';
import { walk } from './staleness';

const COMPILED_DIR = join(OUT_DIR, 'compiled');
const SLDS = join(REPO_ROOT, 'node_modules', '@salesforce-ux', 'design-system', 'assets');

/**
 * Builds the console: tsc compiles the TypeScript components (decorators kept as written), the
 * templates and styles are copied beside the output, rollup with the LWC plugin bundles them with the
 * engine, and the SLDS stylesheet and icon sprites are copied next to the bundle.
 */
export async function buildConsole(): Promise<string> {
  rmSync(COMPILED_DIR, { recursive: true, force: true });
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(APP_DIR, 'tsconfig.json')], { stdio: 'pipe' });
  // tsc's rootDir is scripts/ (the contract reads scripts/sync/domain.ts), so the app lands in console/app.
  const compiledApp = join(COMPILED_DIR, 'console', 'app');
  for (const file of walk(APP_DIR)) {
    if (/\.(html|css)$/.test(file)) {
      const target = join(compiledApp, relative(APP_DIR, file));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(file, target);
    }
  }
  mkdirSync(PUBLIC_DIR, { recursive: true });
  const bundle = await rollup({
    input: join(compiledApp, 'main.js'),
    plugins: [
      // The engine's development checks are for component authors, not for operators.
      replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
      lwc({
        rootDir: join(compiledApp, 'modules'),
        modules: [{ dir: join(compiledApp, 'modules') }],
        // Light DOM components under a page-wide SLDS stylesheet: no synthetic shadow needed.
        disableSyntheticShadowSupport: true,
      }),
    ],
    onwarn(warning, warn) {
      if (warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning);
    },
  });
  await bundle.write({ file: join(PUBLIC_DIR, 'app.js'), format: 'esm' });
  await bundle.close();
  cpSync(join(APP_DIR, 'index.html'), join(PUBLIC_DIR, 'index.html'));
  cpSync(join(APP_DIR, 'console.css'), join(PUBLIC_DIR, 'console.css'));
  cpSync(
    join(SLDS, 'styles', 'salesforce-lightning-design-system.min.css'),
    join(PUBLIC_DIR, 'assets', 'styles', 'salesforce-lightning-design-system.min.css'),
  );
  for (const sprite of ['utility', 'standard']) {
    cpSync(join(SLDS, 'icons', `${sprite}-sprite`), join(PUBLIC_DIR, 'assets', 'icons', `${sprite}-sprite`), {
      recursive: true,
    });
  }
  return PUBLIC_DIR;
}

if (require.main === module) {
  buildConsole().then(
    (dir) => process.stdout.write(`Console built in ${relative(process.cwd(), dir)}\n`),
    (err: unknown) => {
      const e = err as { stdout?: Buffer; message?: string };
      process.stderr.write(`${e.stdout?.toString() ?? ''}${e.message ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
