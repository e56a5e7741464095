import type { Plugin } from 'rollup';
import { customLabels } from './labels';

const APEX = '@salesforce/apex/';
const LABEL = '@salesforce/label/c.';
const VIRTUAL = '\0tightknit-gallery:';

/**
 * The platform's `@salesforce/*` modules that the package's components import: `@salesforce/apex/C.m`
 * becomes a call to the gallery's Apex stand-in (callable, and a wire adapter), `@salesforce/label/c.X`
 * the label's value from CustomLabels.labels-meta.xml. An unknown label fails the build, as a deploy would.
 */
export function salesforceModules(): Plugin {
  return {
    name: 'tightknit-gallery-salesforce-modules',
    resolveId(source) {
      if (source.startsWith(APEX) || source.startsWith(LABEL)) return `${VIRTUAL}${source}`;
      return null;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL)) return null;
      const source = id.slice(VIRTUAL.length);
      if (source.startsWith(APEX)) {
        const [className, method] = source.slice(APEX.length).split('.');
        if (!className || !method) this.error(`${source}: expected @salesforce/apex/Class.method`);
        return `import { apexMethod } from 'gallery/apex';\nexport default apexMethod(${JSON.stringify(className)}, ${JSON.stringify(method)});\n`;
      }
      const name = source.slice(LABEL.length);
      const value = customLabels().get(name);
      if (value === undefined)
        this.error(`${source}: no label ${name} in force-app/main/default/labels/CustomLabels.labels-meta.xml`);
      return `export default ${JSON.stringify(value)};\n`;
    },
  };
}
