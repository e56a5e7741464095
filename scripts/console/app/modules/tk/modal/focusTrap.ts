/** Focus-trap arithmetic for the modal, kept apart from the DOM so it can be tested on its own. */

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex="0"]';

/** The elements Tab can reach inside `root`, in document order. */
export function focusableIn(root: Element): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => !el.hidden);
}

/**
 * Where Tab (or Shift+Tab) goes from position `current` among `count` focusable elements, wrapping at
 * both ends; -1 means focus is outside them. null when there is nothing to focus.
 */
export function nextFocusIndex(current: number, count: number, backwards: boolean): number | null {
  if (count === 0) return null;
  if (current < 0) return backwards ? count - 1 : 0;
  if (backwards) return current === 0 ? count - 1 : current - 1;
  return current === count - 1 ? 0 : current + 1;
}
