import TightknitErrorPanel from 'c/tightknitErrorPanel';
import {
  accessibilityProblems,
  cleanupDom,
  flushPromises,
  mount,
} from '../../../../../test/jest-mocks/tightknitTestUtils';

describe('c-tightknit-error-panel', () => {
  afterEach(cleanupDom);

  it('shows the friendly message and reveals reduced messages on request', async () => {
    const element = await mount('c-tightknit-error-panel', TightknitErrorPanel, {
      friendlyMessage: 'Could not load',
      errors: [{ body: { message: 'Insufficient access' } }],
    });
    const root = element.shadowRoot as ShadowRoot;
    expect(root.querySelector('[data-id="error-headline"]')?.textContent).toBe('Could not load');
    expect(root.querySelector('[data-id="error-messages"]')).toBeNull();

    (root.querySelector('[data-id="error-toggle"]') as HTMLButtonElement).click();
    await flushPromises();

    expect(root.querySelector('[data-id="error-messages"]')?.textContent).toContain('Insufficient access');
    expect(root.querySelector('[data-id="error-toggle"]')?.getAttribute('aria-expanded')).toBe('true');
    expect(accessibilityProblems(element)).toEqual([]);
  });

  it('falls back to the default label and hides the toggle when there is nothing to show', async () => {
    const element = await mount('c-tightknit-error-panel', TightknitErrorPanel, {});
    const root = element.shadowRoot as ShadowRoot;
    expect(root.querySelector('[data-id="error-headline"]')?.textContent).toBe('c.Tightknit_Error_Default');
    expect(root.querySelector('[data-id="error-toggle"]')).toBeNull();
    expect(root.querySelector('[role="alert"]')).not.toBeNull();
  });
});
