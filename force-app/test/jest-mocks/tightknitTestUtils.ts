// One place for the steps every Tightknit component test repeats: mount, flush, clean up, and a
// focused accessibility check (no @sa11y/jest in this project).
import { createElement } from 'lwc';

type Props = Record<string, unknown>;

/** Resolves after pending promises and one macrotask, so re-renders triggered by wire data are done. */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Creates `<c-tag>` with the given public properties, attaches it to the document and lets it render. */
export async function mount<T extends HTMLElement = HTMLElement>(
  tag: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  ctor: any,
  props: Props = {},
): Promise<T> {
  const element = createElement(tag, { is: ctor }) as unknown as T;
  Object.assign(element, props);
  document.body.appendChild(element);
  await flushPromises();
  return element;
}

/** Removes everything the tests attached to the document. */
export function cleanupDom(): void {
  while (document.body.firstChild) {
    document.body.removeChild(document.body.firstChild);
  }
  jest.clearAllMocks();
}

function text(el: Element): string {
  return (el.textContent || '').trim();
}

function allElements(root: ParentNode): Element[] {
  const found: Element[] = [];
  root.querySelectorAll('*').forEach((el) => {
    found.push(el);
    if (el.shadowRoot) {
      found.push(...allElements(el.shadowRoot));
    }
  });
  return found;
}

function attr(el: Element, name: string): string {
  const direct = el.getAttribute(name);
  if (direct) {
    return direct;
  }
  // Base components' public properties are set as properties in jest (stubs render no attributes).
  const camel = name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
  const value = (el as unknown as Record<string, unknown>)[camel];
  return typeof value === 'string' ? value : '';
}

/**
 * Returns a list of accessibility problems under `root` (empty when none): images and SVGs without an
 * accessible name, buttons without a label, data tables and datatable columns without headers,
 * icons without alternative text.
 */
export function accessibilityProblems(root: Element): string[] {
  const problems: string[] = [];
  const scope = root.shadowRoot ?? root;
  for (const el of allElements(scope)) {
    const tag = el.tagName.toLowerCase();
    if (tag === 'img' && el.getAttribute('alt') === null) {
      problems.push('img without alt');
    }
    if (tag === 'svg' && el.getAttribute('aria-hidden') !== 'true') {
      const named = attr(el, 'aria-label') || el.querySelector('title');
      if (!named || el.getAttribute('role') !== 'img') {
        problems.push('svg without role="img" and an accessible name');
      }
    }
    if (tag === 'button' && !text(el) && !attr(el, 'aria-label') && !attr(el, 'title')) {
      problems.push('button without a label');
    }
    if (tag === 'lightning-button' && !attr(el, 'label')) {
      problems.push('lightning-button without a label');
    }
    if (tag === 'lightning-button-icon' && !attr(el, 'alternative-text')) {
      problems.push('lightning-button-icon without alternative-text');
    }
    if (tag === 'lightning-icon' && !attr(el, 'alternative-text') && !attr(el, 'title')) {
      problems.push('lightning-icon without alternative-text');
    }
    if (tag === 'lightning-avatar' && !attr(el, 'alternative-text')) {
      problems.push('lightning-avatar without alternative-text');
    }
    if (tag === 'table' && el.querySelectorAll('th').length === 0) {
      problems.push('table without header cells');
    }
    if (tag === 'lightning-datatable') {
      const columns = (el as unknown as { columns?: { label?: string }[] }).columns ?? [];
      if (columns.length === 0 || columns.some((column) => !column.label)) {
        problems.push('lightning-datatable column without a label');
      }
    }
    if (tag === 'a' && !text(el) && !attr(el, 'aria-label') && !attr(el, 'title')) {
      problems.push('link without text');
    }
  }
  return problems;
}

/** The test controls of an Apex wire adapter created with createApexTestWireAdapter. */
export type ApexTestAdapter = {
  emit(value: unknown): void;
  error(body?: unknown, status?: number, statusText?: string): void;
  getLastConfig(): Record<string, unknown>;
};

/** Views an imported Apex method (mocked with createApexTestWireAdapter) as its test controls. */
export function asTestAdapter(method: unknown): ApexTestAdapter {
  return method as ApexTestAdapter;
}

/** The shadow root of a mounted component. */
export function shadow(element: Element): ShadowRoot {
  return element.shadowRoot as ShadowRoot;
}

/** Dispatches a CustomEvent with `detail` on the element and waits for the re-render. */
export async function fire(target: Element | null, name: string, detail?: unknown): Promise<void> {
  if (!target) {
    throw new Error(`No element to fire ${name} on`);
  }
  target.dispatchEvent(new CustomEvent(name, { detail }));
  await flushPromises();
}

/** Reads a public property of a (stubbed) base component, e.g. prop(badge, 'label'). */
export function prop<T = unknown>(element: Element | null | undefined, name: string): T {
  if (!element) {
    throw new Error(`No element to read ${name} from`);
  }
  return (element as unknown as Record<string, T>)[name];
}
