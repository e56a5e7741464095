import type { XmlNode } from '../../../metadata/xml';
import { children, flag, text, texts } from '../../../metadata/xml';
import type { Finding } from '../finding';
import type { MetadataFile } from '../files';
import { filesOfType, isCustom, PackageIndex, withoutNamespace, type Rule, type RuleContext } from './context';

type Parsed = MetadataFile & { root: XmlNode };

function names(context: RuleContext, type: string): Set<string> {
  return new Set(filesOfType(context, type).map((f) => f.memberName));
}

/** `LightningComponentBundle` files are `lwc/<bundle>/<bundle>.js-meta.xml`: the member name is the bundle. */
function bundles(context: RuleContext): Set<string> {
  return names(context, 'LightningComponentBundle');
}

function appFindings(context: RuleContext, file: Parsed): Finding[] {
  const tabs = names(context, 'CustomTab');
  const pages = names(context, 'FlexiPage');
  const findings: Finding[] = [];
  texts(file.root, 'tabs').forEach((tab, i) => {
    if (!tab.startsWith('standard-') && !tabs.has(withoutNamespace(context.pkg, tab))) {
      findings.push({
        file: file.file,
        path: `CustomApplication/tabs[${i + 1}]`,
        message: `tab ${tab} is not defined in force-app/main/default/tabs`,
      });
    }
  });
  for (const element of ['actionOverrides', 'profileActionOverrides']) {
    children(file.root, element).forEach((override, i) => {
      const content = text(override, 'content');
      if (text(override, 'type') === 'Flexipage' && content && !pages.has(content)) {
        findings.push({
          file: file.file,
          path: `CustomApplication/${element}[${i + 1}]/content`,
          message: `Lightning page ${content} is not defined in force-app/main/default/flexipages`,
        });
      }
    });
  }
  const utilityBar = text(file.root, 'utilityBar');
  if (utilityBar && !pages.has(utilityBar)) {
    findings.push({
      file: file.file,
      path: 'CustomApplication/utilityBar',
      message: `utility bar page ${utilityBar} is not defined`,
    });
  }
  return findings;
}

function tabFindings(context: RuleContext, index: PackageIndex, file: Parsed): Finding[] {
  const findings: Finding[] = [];
  const report = (path: string, message: string) => findings.push({ file: file.file, path, message });
  if (flag(file.root, 'customObject') && !index.object(file.memberName)) {
    report('CustomTab/customObject', `tab for object ${file.memberName}, which is not defined in force-app`);
  }
  const page = text(file.root, 'flexiPage');
  if (page && !names(context, 'FlexiPage').has(page))
    report('CustomTab/flexiPage', `Lightning page ${page} is not defined`);
  const component = text(file.root, 'lwcComponent');
  if (component && !bundles(context).has(component))
    report('CustomTab/lwcComponent', `component ${component} is not defined`);
  return findings;
}

function flexiPageFindings(context: RuleContext, index: PackageIndex, file: Parsed): Finding[] {
  const findings: Finding[] = [];
  const sobject = text(file.root, 'sobjectType');
  if (sobject && isCustom(sobject) && !index.object(sobject)) {
    findings.push({
      file: file.file,
      path: 'FlexiPage/sobjectType',
      message: `object ${sobject} is not defined in force-app`,
    });
  }
  const own = bundles(context);
  children(file.root, 'flexiPageRegions').forEach((region, r) =>
    children(region, 'itemInstances').forEach((item, i) =>
      children(item, 'componentInstance').forEach((instance) => {
        const name = text(instance, 'componentName') ?? '';
        const [namespace, bundle] = name.includes(':') ? name.split(':') : ['c', name];
        if ((namespace === 'c' || namespace === context.pkg.namespace) && !own.has(bundle)) {
          findings.push({
            file: file.file,
            path: `FlexiPage/flexiPageRegions[${r + 1}]/itemInstances[${i + 1}]/componentInstance/componentName`,
            message: `component ${name} is not a bundle in force-app/main/default/lwc`,
          });
        }
      }),
    ),
  );
  return findings;
}

/** Required fields must be on a layout, as Required: otherwise nobody can save a record from it. */
function layoutRequiredFindings(index: PackageIndex, file: Parsed): Finding[] {
  const objectName = file.memberName.split('-')[0];
  const object = index.object(objectName);
  if (!object?.definedByPackage) return [];
  const behaviors = new Map<string, string>();
  for (const section of children(file.root, 'layoutSections')) {
    for (const column of children(section, 'layoutColumns')) {
      for (const item of children(column, 'layoutItems')) {
        const field = text(item, 'field');
        if (field) behaviors.set(field, text(item, 'behavior') ?? '');
      }
    }
  }
  const required = [object.nameField, ...object.fields].filter(
    (f) => f && (f.required || f.type === 'MasterDetail') && f.type !== 'AutoNumber',
  );
  const findings: Finding[] = [];
  for (const field of required) {
    if (!field) continue;
    const behavior = behaviors.get(field.name);
    if (behavior === undefined) {
      findings.push({
        file: file.file,
        path: 'Layout',
        message: `required field ${field.name} is not on the layout; add it with behavior Required`,
      });
    } else if (behavior !== 'Required') {
      findings.push({
        file: file.file,
        path: 'Layout',
        message: `required field ${field.name} has behavior ${behavior || '(none)'}; use Required`,
      });
    }
  }
  return findings;
}

function compactLayoutFindings(context: RuleContext, file: Parsed): Finding[] {
  const assigned = text(file.root, 'compactLayoutAssignment');
  if (!assigned || assigned === 'SYSTEM') return [];
  const exists = filesOfType(context, 'CompactLayout').some(
    (f) => f.memberName === assigned && f.file.includes(`/objects/${file.memberName}/`),
  );
  return exists
    ? []
    : [
        {
          file: file.file,
          path: 'CustomObject/compactLayoutAssignment',
          message: `compact layout ${assigned} is not defined for ${file.memberName}`,
        },
      ];
}

/** `<targetConfigs>` is raw XML to the types; its `<object>` entries must still name real objects. */
function componentTargetFindings(index: PackageIndex, file: Parsed): Finding[] {
  const findings: Finding[] = [];
  for (const match of file.text.matchAll(/<object>\s*([^<\s]+)\s*<\/object>/g)) {
    if (isCustom(match[1]) && !index.object(match[1])) {
      findings.push({
        file: file.file,
        path: 'LightningComponentBundle/targetConfigs',
        message: `object ${match[1]} is not defined in force-app`,
      });
    }
  }
  return findings;
}

/** Apps, tabs, Lightning pages, layouts and objects refer only to things force-app defines. */
export const referenceRules: Rule = (context) => {
  const index = new PackageIndex(context.pkg);
  return [
    ...filesOfType(context, 'CustomApplication').flatMap((f) => appFindings(context, f)),
    ...filesOfType(context, 'CustomTab').flatMap((f) => tabFindings(context, index, f)),
    ...filesOfType(context, 'FlexiPage').flatMap((f) => flexiPageFindings(context, index, f)),
    ...filesOfType(context, 'Layout').flatMap((f) => layoutRequiredFindings(index, f)),
    ...filesOfType(context, 'CustomObject').flatMap((f) => compactLayoutFindings(context, f)),
    ...filesOfType(context, 'LightningComponentBundle').flatMap((f) => componentTargetFindings(index, f)),
  ];
};
