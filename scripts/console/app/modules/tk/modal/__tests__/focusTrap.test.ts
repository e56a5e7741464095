import { focusableIn, nextFocusIndex } from '../focusTrap';

describe('focusTrap', () => {
  it('wraps forwards and backwards', () => {
    expect(nextFocusIndex(2, 3, false)).toBe(0);
    expect(nextFocusIndex(0, 3, true)).toBe(2);
    expect(nextFocusIndex(1, 3, false)).toBe(2);
    expect(nextFocusIndex(-1, 3, false)).toBe(0);
    expect(nextFocusIndex(-1, 3, true)).toBe(2);
    expect(nextFocusIndex(0, 0, false)).toBeNull();
  });

  it('finds enabled controls only', () => {
    const root = document.createElement('div');
    const add = (tag: string, attrs: Record<string, string> = {}) => {
      const el = document.createElement(tag);
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      root.appendChild(el);
    };
    add('button');
    add('button', { disabled: '' });
    add('input');
    add('a');
    add('a', { href: '#x' });
    expect(focusableIn(root).map((e) => e.tagName)).toEqual(['BUTTON', 'INPUT', 'A']);
  });
});
