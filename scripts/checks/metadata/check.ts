import { readPackageProject } from '../../metadata/project';
import type { Finding } from './finding';
import { readMetadataFiles, type MetadataFile } from './files';
import { apexAccessRules } from './rules/apex-access';
import { codeReferenceRules } from './rules/code-references';
import type { Rule } from './rules/context';
import { fieldAccessRules } from './rules/field-access';
import { fieldReferenceRules } from './rules/field-references';
import { permissionRules } from './rules/permissions';
import { referenceRules } from './rules/references';
import { MetadataSchema } from './schema';
import { checkElement } from './structure';
import { TYPE_BY_SUFFIX } from './suffixes';

const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

const RULES: Rule[] = [
  permissionRules,
  fieldAccessRules,
  apexAccessRules,
  fieldReferenceRules,
  referenceRules,
  codeReferenceRules,
];

export interface CheckMetadataOptions {
  /** A schema already loaded (loading costs about a second); one is created when omitted. */
  schema?: MetadataSchema;
}

function structureFindings(file: MetadataFile, schema: MetadataSchema): Finding[] {
  const findings: Finding[] = [];
  const report = (path: string, message: string) => findings.push({ file: file.file, path, message });
  if (file.syntaxError) {
    report('', `not well-formed XML: ${file.syntaxError}`);
    return findings;
  }
  if (!file.type) {
    report(
      '',
      `unknown metadata suffix ".${file.suffix}-meta.xml": add "${file.suffix}: '<MetadataType>'" to TYPE_BY_SUFFIX ` +
        `in scripts/checks/metadata/suffixes.ts (known: ${Object.keys(TYPE_BY_SUFFIX).join(', ')})`,
    );
    return findings;
  }
  const shape = schema.type(file.type);
  if (!shape) {
    report('', `@salesforce/types has no Metadata API type ${file.type}; fix its entry in TYPE_BY_SUFFIX`);
    return findings;
  }
  if (file.rootTag !== file.type) {
    report(
      file.rootTag ?? '',
      `root element <${file.rootTag}> does not match the suffix .${file.suffix}: expected <${file.type}>`,
    );
    return findings;
  }
  if (!new RegExp(`<${file.type}[^>]*xmlns="${METADATA_NAMESPACE}"`).test(file.text)) {
    report(file.type, `the root element must declare xmlns="${METADATA_NAMESPACE}"`);
  }
  checkElement(file.root ?? {}, shape, file.type, report);
  return findings;
}

/**
 * Checks every `*-meta.xml` of the project in `root` offline: well-formed XML, elements, nesting and
 * enum values against the Metadata API types of @salesforce/types, then platform rules the types
 * cannot express (permission sets, Apex class access, field references). Returns every finding.
 */
export async function checkMetadata(root: string, options: CheckMetadataOptions = {}): Promise<Finding[]> {
  const schema = options.schema ?? new MetadataSchema();
  const files = readMetadataFiles(root);
  const findings = files.flatMap((file) => structureFindings(file, schema));
  let pkg;
  try {
    pkg = readPackageProject(root);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    findings.push({
      file: 'sfdx-project.json',
      path: '',
      message: `platform rules skipped: the package could not be read (${reason})`,
    });
    return findings;
  }
  const context = { root, files, pkg };
  for (const rule of RULES) findings.push(...rule(context));
  return findings;
}
