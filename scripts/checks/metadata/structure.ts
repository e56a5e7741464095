import type { XmlNode } from '../../metadata/xml';
import type { ObjectShape, PropertyShape, Shape } from './schema';

/** Reports one problem at an element path. */
export type Report = (path: string, message: string) => void;

/**
 * Elements the API types declare as plain strings although the source file nests XML in them
 * (the API transports them as an XML blob): their contents are not checked.
 */
const RAW_XML_ELEMENTS = new Set(['LightningComponentBundle.targetConfigs']);

/** The LWC compiler, not the XSD, reads a .js-meta.xml: `<targets>` before `<targetConfigs>` is the norm. */
const ORDER_FREE = new Set(['LightningComponentBundle']);

const NUMBER = /^-?\d+(\.\d+)?$/;

function list(values: Iterable<string>): string {
  return [...values].sort().join(', ');
}

/** Where an unknown element would have been valid one level down, to explain wrong nesting. */
function nestingHint(shape: ObjectShape, key: string): string {
  const parents = [...shape.properties()]
    .filter(([, prop]) => prop.shape.kind === 'object' && prop.shape.properties().has(key))
    .map(([name]) => `<${name}>`);
  return parents.length ? ` (it belongs inside ${parents.join(' or ')})` : '';
}

function checkText(value: string, prop: PropertyShape, owner: string, key: string, path: string, report: Report): void {
  const shape: Shape = prop.shape;
  switch (shape.kind) {
    case 'object':
      if (value !== '') {
        report(
          path,
          `<${key}> must hold child elements of ${shape.name} (${list(shape.properties().keys())}), not the text "${value}"`,
        );
      }
      return;
    case 'enum':
      if (!shape.values.includes(value)) {
        report(
          path,
          `invalid value "${value}" for ${owner}.${key} (${shape.name}); allowed: ${shape.values.join(', ')}`,
        );
      }
      return;
    case 'boolean':
      if (value !== 'true' && value !== 'false') report(path, `${owner}.${key} must be true or false, not "${value}"`);
      return;
    case 'number':
      if (!NUMBER.test(value)) report(path, `${owner}.${key} must be a number, not "${value}"`);
      return;
    default:
      return;
  }
}

/**
 * The Metadata API parses elements in the XSD's order ("Element ... invalid at this location");
 * @salesforce/types declares the properties in that order, `fullName` first.
 */
function checkOrder(keys: string[], shape: ObjectShape, path: string, report: Report): void {
  if (ORDER_FREE.has(shape.name)) return;
  const order = [...shape.properties().keys()];
  let previous: string | undefined;
  for (const key of keys) {
    const index = order.indexOf(key);
    if (index < 0) continue;
    if (previous !== undefined && index < order.indexOf(previous)) {
      report(
        `${path}/${key}`,
        `<${key}> must come before <${previous}> (${shape.name} elements follow the Metadata API order)`,
      );
      return;
    }
    previous = key;
  }
}

/**
 * Checks an element's children against its Metadata API type: every child element must be a
 * property of the type, repeat only when the type declares a list, nest only where the type has
 * child elements, and hold an allowed value for enums, booleans and numbers.
 */
export function checkElement(node: XmlNode, shape: ObjectShape, path: string, report: Report): void {
  const properties = shape.properties();
  checkOrder(Object.keys(node), shape, path, report);
  for (const [key, values] of Object.entries(node)) {
    if (key === '#text') {
      const stray = values.find((v): v is string => typeof v === 'string' && v.trim() !== '');
      if (stray !== undefined) report(path, `text "${stray}" is not allowed here: ${shape.name} holds only elements`);
      continue;
    }
    const prop = properties.get(key);
    if (!prop) {
      report(
        `${path}/${key}`,
        `unknown element <${key}> in ${shape.name}${nestingHint(shape, key)}; allowed: ${list(properties.keys())}`,
      );
      continue;
    }
    if (values.length > 1 && !prop.array) {
      report(`${path}/${key}`, `<${key}> appears ${values.length} times but ${shape.name}.${key} holds a single value`);
    }
    if (RAW_XML_ELEMENTS.has(`${shape.name}.${key}`)) continue;
    values.forEach((value, index) => {
      const at = values.length > 1 ? `${path}/${key}[${index + 1}]` : `${path}/${key}`;
      if (typeof value === 'string') {
        checkText(value, prop, shape.name, key, at, report);
      } else if (prop.shape.kind === 'object') {
        checkElement(value, prop.shape, at, report);
      } else if (prop.shape.kind !== 'any') {
        report(
          at,
          `<${key}> holds child elements (${list(Object.keys(value))}) but ${shape.name}.${key} is a single ${prop.shape.kind === 'enum' ? prop.shape.name : prop.shape.kind} value`,
        );
      }
    });
  }
}
