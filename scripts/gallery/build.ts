import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import lwc from '@lwc/rollup-plugin';
import replace from '@rollup/plugin-replace';
import { rollup } from 'rollup';
import { walk } from '../console/staleness';
import { REPO_ROOT } from '../metadata/project';
import { APP_DIR, LWC_DIR, OUT_DIR, PUBLIC_DIR } from './paths';
import { salesforceModules } from './rollup-salesforce';

const COMPILED = join(OUT_DIR, 'compiled');
const SLDS = join(REPO_ROOT, 'node_modules', '@salesforce-ux', 'design-system', 'assets');
const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function sources(): string[] {
  return [...walk(APP_DIR), ...walk(LWC_DIR).filter((f) => /\.(ts|html|css)$/.test(f))];
}

/** True when dist/gallery/public/app.js is missing or older than a component or gallery source. */
export function galleryIsStale(): boolean {
  const bundle = join(PUBLIC_DIR, 'app.js');
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  return sources().some((f) => statSync(f).mtimeMs > built);
}

function tsc(project: string): void {
  try {
    execFileSync(process.execPath, [TSC, '-p', project], { cwd: REPO_ROOT, stdio: 'pipe' });
  } catch (e) {
    const out = (e as { stdout?: Buffer }).stdout?.toString() ?? '';
    throw new Error(`tsc -p ${relative(REPO_ROOT, project)} failed:\n${out}`);
  }
}

/** Copies the templates and styles beside tsc's output (tsc only emits the .js). */
function copyAssets(from: string, to: string, withJs: boolean): void {
  for (const file of walk(from)) {
    if (!(withJs ? /\.(js|html|css)$/ : /\.(html|css)$/).test(file)) continue;
    const target = join(to, relative(from, file));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file, target);
  }
}

/**
 * Builds the gallery: tsc compiles the package's components in place (as `npm run build` does) and the
 * gallery's shell and stand-ins into dist/gallery/compiled; rollup with the LWC plugin bundles them with
 * the open-source base components, the engine and synthetic shadow; SLDS is copied beside the bundle.
 */
export async function buildGallery(): Promise<string> {
  rmSync(OUT_DIR, { recursive: true, force: true });
  tsc(join(REPO_ROOT, 'tsconfig.json'));
  tsc(join(APP_DIR, 'tsconfig.json'));
  const app = join(COMPILED, 'app');
  copyAssets(APP_DIR, app, false);
  // The package's bundles under the `c` namespace, as the platform resolves `c/...` imports.
  copyAssets(LWC_DIR, join(COMPILED, 'package', 'c'), true);
  const bundle = await rollup({
    input: join(app, 'main.js'),
    plugins: [
      replace({
        preventAssignment: true,
        values: { 'process.env.NODE_ENV': JSON.stringify('production'), 'import.meta.env.SSR': 'false' },
      }),
      salesforceModules(),
      lwc({
        rootDir: join(app, 'modules'),
        modules: [
          { dir: join(app, 'modules') },
          { dir: join(COMPILED, 'package') },
          { npm: 'lightning-base-components' },
        ],
        // The base components use lwc:is and element internals.
        enableDynamicComponents: true,
        enableSyntheticElementInternals: true,
      }),
    ],
    onwarn(warning, warn) {
      // The base components' own template warnings are the vendor's to fix; ours still show.
      if (warning.id?.includes(`${join('node_modules', 'lightning-base-components')}`)) return;
      if (warning.code !== 'CIRCULAR_DEPENDENCY' && warning.code !== 'THIS_IS_UNDEFINED') warn(warning);
    },
  });
  // A folder, not one file: the base components load icons lazily with import().
  await bundle.write({
    dir: PUBLIC_DIR,
    format: 'esm',
    entryFileNames: 'app.js',
    chunkFileNames: 'chunks/[name]-[hash].js',
  });
  await bundle.close();
  cpSync(join(APP_DIR, 'index.html'), join(PUBLIC_DIR, 'index.html'));
  cpSync(join(APP_DIR, 'gallery.css'), join(PUBLIC_DIR, 'gallery.css'));
  cpSync(
    join(SLDS, 'styles', 'salesforce-lightning-design-system.min.css'),
    join(PUBLIC_DIR, 'assets', 'styles', 'salesforce-lightning-design-system.min.css'),
  );
  cpSync(join(SLDS, 'images'), join(PUBLIC_DIR, 'assets', 'images'), { recursive: true });
  for (const sprite of ['utility', 'standard']) {
    cpSync(join(SLDS, 'icons', `${sprite}-sprite`), join(PUBLIC_DIR, 'assets', 'icons', `${sprite}-sprite`), {
      recursive: true,
    });
  }
  return PUBLIC_DIR;
}

if (require.main === module) {
  const started = Date.now();
  buildGallery().then(
    (dir) =>
      process.stdout.write(
        `Gallery built in ${relative(process.cwd(), dir)} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
      ),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
