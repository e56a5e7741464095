import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';

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
  const doc = parser.parse(readFileSync(file, 'utf8')) as Record<string, XmlNode[]>;
  const rootTag = Object.keys(doc).find((k) => k !== '?xml');
  if (!rootTag) throw new Error(`${file}: no root element`);
  return { rootTag, root: doc[rootTag][0] ?? {} };
}

/** First text value of a child element, or undefined. */
export function text(node: XmlNode, tag: string): string | undefined {
  const v = node[tag]?.[0];
  return typeof v === 'string' ? v : undefined;
}

export function flag(node: XmlNode, tag: string): boolean {
  return text(node, tag) === 'true';
}

export function children(node: XmlNode, tag: string): XmlNode[] {
  return (node[tag] ?? []).filter((c): c is XmlNode => typeof c === 'object');
}

export function texts(node: XmlNode, tag: string): string[] {
  return (node[tag] ?? []).filter((c): c is string => typeof c === 'string');
}
