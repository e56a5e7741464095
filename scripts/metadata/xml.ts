import { readFileSync } from 'node:fs';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: () => true,
});

/** A parsed XML element: every child is an array (even when single), leaf values are strings. */
export type XmlNode = { [tag: string]: XmlNode[] | string[] };

/** Parses a metadata XML file and returns its root element (e.g. the `<CustomField>` node). */
export function readMetadataXml(file: string): { rootTag: string; root: XmlNode } {
  return parseMetadataXml(readFileSync(file, 'utf8'), file);
}

/** Parses metadata XML text (`source` names it in errors) and returns its root element. */
export function parseMetadataXml(xml: string, source: string): { rootTag: string; root: XmlNode } {
  const doc = parser.parse(xml) as Record<string, (XmlNode | string)[]>;
  const rootTag = Object.keys(doc).find((k) => k !== '?xml');
  if (!rootTag) throw new Error(`${source}: no root element`);
  const root = doc[rootTag][0] ?? {};
  // An empty root element (`<Foo></Foo>`) parses as a string; treat it as having no children.
  return { rootTag, root: typeof root === 'object' ? root : {} };
}

/** Why `xml` is not well-formed (with line and column), or undefined when it is. */
export function xmlSyntaxError(xml: string): string | undefined {
  const result = XMLValidator.validate(xml);
  if (result === true) return undefined;
  return `line ${result.err.line}, column ${result.err.col}: ${result.err.msg}`;
}

/** First text value of a child element, or undefined. */
export function text(node: XmlNode, tag: string): string | undefined {
  const v = node[tag]?.[0];
  return typeof v === 'string' ? v : undefined;
}

/** True when the child element `tag` holds the text `true`. */
export function flag(node: XmlNode, tag: string): boolean {
  return text(node, tag) === 'true';
}

/** The child elements named `tag` (elements only, text values skipped). */
export function children(node: XmlNode, tag: string): XmlNode[] {
  return (node[tag] ?? []).filter((c): c is XmlNode => typeof c === 'object');
}

/** The text values of the child elements named `tag`. */
export function texts(node: XmlNode, tag: string): string[] {
  return (node[tag] ?? []).filter((c): c is string => typeof c === 'string');
}
