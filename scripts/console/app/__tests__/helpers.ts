/** The one way the console's component tests create a component, wait for it, and find its parts. */
import { createElement } from 'lwc';
import { ApiRequestError } from '../modules/tk/errors/errors';
import type { FieldError } from '../../contract';

type Ctor = Parameters<typeof createElement>[1]['is'];

/** Creates `<tag>` with the given public properties and attaches it to the document. */
export function mount<T extends HTMLElement = HTMLElement>(
  tag: string,
  is: Ctor,
  props: Record<string, unknown> = {},
): T {
  const el = createElement(tag, { is }) as unknown as T;
  Object.assign(el, props);
  document.body.appendChild(el);
  return el;
}

/** Lets pending promises (mocked API calls) settle and LWC re-render. */
export function flush(rounds = 3): Promise<void> {
  let chain = Promise.resolve();
  for (let i = 0; i < rounds; i++) {
    // eslint-disable-next-line @lwc/lwc/no-async-operation
    chain = chain.then(() => new Promise((resolve) => setTimeout(resolve, 0)));
  }
  return chain;
}

export function byId<T extends Element = HTMLElement>(root: ParentNode, id: string): T | null {
  return root.querySelector<T & Element>(`[data-id="${id}"]`);
}

export function must<T extends Element = HTMLElement>(root: ParentNode, id: string): T {
  const el = byId<T>(root, id);
  if (!el) throw new Error(`No element with data-id="${id}"`);
  return el;
}

export function text(root: ParentNode, id: string): string {
  return (must(root, id).textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Types into an input the way a user does: sets the value, fires input and change. */
export function typeInto(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new CustomEvent('input', { bubbles: true }));
  input.dispatchEvent(new CustomEvent('change', { bubbles: true }));
}

export function click(root: ParentNode, id: string): void {
  must<HTMLElement>(root, id).click();
}

export function apiError(
  status: number,
  code: string,
  message: string,
  actions: string[] = [],
  fields?: FieldError[],
): ApiRequestError {
  return new ApiRequestError(status, { code, message, actions, fields });
}

export function cleanup(): void {
  while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
  jest.clearAllMocks();
}
