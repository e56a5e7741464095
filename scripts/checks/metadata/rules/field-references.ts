import type { XmlNode } from '../../../metadata/xml';
import { children, text, texts } from '../../../metadata/xml';
import type { Finding } from '../finding';
import type { MetadataFile } from '../files';
import { filesOfType, PackageIndex, withoutNamespace, type Rule, type RuleContext } from './context';

/**
 * Why a field reference on `objectName` does not resolve, or undefined. A dotted reference
 * (`Contact__c.Email`) follows the lookup first.
 */
function missingReference(index: PackageIndex, objectName: string, ref: string): string | undefined {
  const [head, ...rest] = ref.split('.');
  if (rest.length === 0) return index.missingField(objectName, head);
  const next = index.step(objectName, head);
  if ('missing' in next) return next.missing;
  return 'object' in next ? missingReference(index, next.object, rest.join('.')) : undefined;
}

/** Why a report path does not resolve, or undefined (also when only an org could tell). */
function missingTable(index: PackageIndex, table: string): string | undefined {
  const resolution = index.resolveTable(table);
  return 'missing' in resolution ? `${table}: ${resolution.missing}` : undefined;
}

/** The object folder a child file lives in: `objects/Member__c/listViews/All.listView-meta.xml` → `Member__c`. */
function owningObject(file: MetadataFile): string {
  const parts = file.file.split('/');
  return parts[parts.length - 3];
}

/** Custom field tokens only: list views and related lists name standard fields with tokens like NAME. */
function customTokens(values: string[]): [string, number][] {
  return values.map((v, i) => [v, i] as [string, number]).filter(([v]) => /__c$/.test(v));
}

function layoutFindings(index: PackageIndex, file: MetadataFile & { root: XmlNode }): Finding[] {
  const findings: Finding[] = [];
  const objectName = file.memberName.split('-')[0];
  const report = (path: string, message: string) => findings.push({ file: file.file, path, message });
  if (!index.object(objectName)) report('', `layout for ${objectName}, which is not defined in force-app`);
  children(file.root, 'layoutSections').forEach((section, s) =>
    children(section, 'layoutColumns').forEach((column, c) =>
      children(column, 'layoutItems').forEach((item, i) => {
        const field = text(item, 'field');
        const missing = field && missingReference(index, objectName, field);
        if (missing) {
          report(`Layout/layoutSections[${s + 1}]/layoutColumns[${c + 1}]/layoutItems[${i + 1}]/field`, missing);
        }
      }),
    ),
  );
  children(file.root, 'relatedLists').forEach((list, r) => {
    const path = `Layout/relatedLists[${r + 1}]`;
    const [child, lookup] = (text(list, 'relatedList') ?? '').split('.');
    if (!lookup) return; // a standard related list such as RelatedNoteList
    const missing = index.missingField(child, lookup);
    if (missing) {
      report(`${path}/relatedList`, missing);
      return;
    }
    const target = index.lookupTarget(child, lookup);
    if (target && target !== withoutNamespace(index.pkg, objectName)) {
      report(`${path}/relatedList`, `${child}.${lookup} points to ${target}, not to ${objectName}`);
    }
    for (const [field, i] of customTokens(texts(list, 'fields'))) {
      const why = index.missingField(child, field);
      if (why) report(`${path}/fields[${i + 1}]`, why);
    }
  });
  return findings;
}

function objectChildFindings(
  index: PackageIndex,
  file: MetadataFile & { root: XmlNode },
  fields: [string, string[]][],
) {
  const objectName = owningObject(file);
  const findings: Finding[] = [];
  for (const [element, values] of fields) {
    for (const [field, i] of customTokens(values)) {
      const missing = index.missingField(objectName, field);
      if (missing) findings.push({ file: file.file, path: `${file.rootTag}/${element}[${i + 1}]`, message: missing });
    }
  }
  return findings;
}

function reportTypeFindings(index: PackageIndex, file: MetadataFile & { root: XmlNode }): Finding[] {
  const findings: Finding[] = [];
  const base = text(file.root, 'baseObject') ?? '';
  if (!index.object(base) && /__c$/.test(base)) {
    findings.push({
      file: file.file,
      path: 'ReportType/baseObject',
      message: `object ${base} is not defined in force-app`,
    });
  }
  let join = children(file.root, 'join')[0];
  let table = base;
  let path = 'ReportType';
  while (join) {
    path += '/join';
    table = `${table}.${text(join, 'relationship') ?? ''}`;
    const missing = missingTable(index, table);
    if (missing) findings.push({ file: file.file, path: `${path}/relationship`, message: missing });
    join = children(join, 'join')[0];
  }
  children(file.root, 'sections').forEach((section, s) =>
    children(section, 'columns').forEach((column, c) => {
      const columnPath = `ReportType/sections[${s + 1}]/columns[${c + 1}]`;
      const columnTable = text(column, 'table') ?? '';
      const resolution = index.resolveTable(columnTable);
      if ('missing' in resolution) {
        findings.push({
          file: file.file,
          path: `${columnPath}/table`,
          message: `${columnTable}: ${resolution.missing}`,
        });
        return;
      }
      if (!('object' in resolution)) return;
      const missing = missingReference(index, resolution.object, text(column, 'field') ?? '');
      if (missing) findings.push({ file: file.file, path: `${columnPath}/field`, message: missing });
    }),
  );
  return findings;
}

/** Field references of a report: `columns/field`, groupings, filters, sort and date columns. */
function reportFieldRefs(root: XmlNode): [string, string][] {
  const refs: [string, string][] = [];
  children(root, 'columns').forEach((c, i) => refs.push([`Report/columns[${i + 1}]/field`, text(c, 'field') ?? '']));
  for (const grouping of ['groupingsDown', 'groupingsAcross']) {
    children(root, grouping).forEach((g, i) =>
      refs.push([`Report/${grouping}[${i + 1}]/field`, text(g, 'field') ?? '']),
    );
  }
  for (const filter of children(root, 'filter')) {
    children(filter, 'criteriaItems').forEach((c, i) =>
      refs.push([`Report/filter/criteriaItems[${i + 1}]/column`, text(c, 'column') ?? '']),
    );
  }
  const sort = text(root, 'sortColumn');
  if (sort) refs.push(['Report/sortColumn', sort]);
  for (const frame of children(root, 'timeFrameFilter')) {
    const date = text(frame, 'dateColumn');
    if (date) refs.push(['Report/timeFrameFilter/dateColumn', date]);
  }
  return refs;
}

function reportFindings(index: PackageIndex, context: RuleContext, file: MetadataFile & { root: XmlNode }): Finding[] {
  const findings: Finding[] = [];
  const reportType = text(file.root, 'reportType') ?? '';
  // Reports name a custom report type with a __c suffix its file name does not have.
  const reportTypeName = reportType.replace(/__c$/, '');
  if (
    reportTypeName !== reportType &&
    !filesOfType(context, 'ReportType').some((f) => f.memberName === reportTypeName)
  ) {
    findings.push({
      file: file.file,
      path: 'Report/reportType',
      message: `report type ${reportType} is not defined in force-app/main/default/reportTypes`,
    });
  }
  for (const [path, ref] of reportFieldRefs(file.root)) {
    let missing: string | undefined;
    const dollar = ref.indexOf('$');
    if (dollar > 0) {
      const resolution = index.resolveTable(ref.slice(0, dollar));
      if ('missing' in resolution) missing = resolution.missing;
      else if ('object' in resolution) missing = missingReference(index, resolution.object, ref.slice(dollar + 1));
    } else {
      const match = /^(\w+__c)\.(\w+)$/.exec(ref);
      if (match && index.object(match[1])) missing = index.missingField(match[1], match[2]);
    }
    if (missing) findings.push({ file: file.file, path, message: `${ref}: ${missing}` });
  }
  return findings;
}

/** Every field a layout, compact layout, list view, report type or report names must exist. */
export const fieldReferenceRules: Rule = (context) => {
  const index = new PackageIndex(context.pkg);
  const findings: Finding[] = [];
  for (const file of filesOfType(context, 'Layout')) findings.push(...layoutFindings(index, file));
  for (const file of filesOfType(context, 'CompactLayout')) {
    findings.push(...objectChildFindings(index, file, [['fields', texts(file.root, 'fields')]]));
  }
  for (const file of filesOfType(context, 'ListView')) {
    const filterFields = children(file.root, 'filters').map((f) => text(f, 'field') ?? '');
    findings.push(
      ...objectChildFindings(index, file, [
        ['columns', texts(file.root, 'columns')],
        ['filters', filterFields],
      ]),
    );
  }
  for (const file of filesOfType(context, 'ReportType')) findings.push(...reportTypeFindings(index, file));
  for (const file of filesOfType(context, 'Report')) findings.push(...reportFindings(index, context, file));
  return findings;
};
