import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import { packageDirectories } from '../metadata/files';

/**
 * Every file `sf project deploy` would send from the package directories of `root`, absolute and
 * sorted: the source the AppExchange review scans. `.forceignore` applies, so LWC bundles contribute
 * their compiled `.js` and never their `.ts` or tests.
 *
 * Throws when a bundle's TypeScript has not been compiled, since the scan would then miss it.
 */
export function shippedFiles(root: string): string[] {
  const files = new Set<string>();
  for (const dir of packageDirectories(root)) {
    for (const component of ComponentSet.fromSource(dir).getSourceComponents()) {
      if (component.xml) files.add(component.xml);
      for (const file of component.walkContent()) files.add(file);
    }
  }
  const uncompiled = [...files]
    .filter((file) => file.endsWith('.js-meta.xml') && file.includes('/lwc/'))
    .map((meta) => join(dirname(meta), `${basename(meta, '.js-meta.xml')}.ts`))
    .filter((source) => existsSync(source) && !existsSync(source.replace(/\.ts$/, '.js')));
  if (uncompiled.length > 0) {
    throw new Error(
      `Lightning web components are not compiled (${uncompiled.map((f) => basename(f)).join(', ')}): ` +
        'the scan would miss what deploys. Run `npm run build` first.',
    );
  }
  return [...files].sort();
}
