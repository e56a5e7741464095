import TightknitHealthCheck from 'c/tightknitHealthCheck';
import runHealthCheck from '@salesforce/apex/TightknitHealthCheckController.runHealthCheck';
import {
  accessibilityProblems,
  cleanupDom,
  flushPromises,
  mount,
} from '../../../../../test/jest-mocks/tightknitTestUtils';
import { summarize, toRows } from '../healthCheckModel';

jest.mock('@salesforce/apex/TightknitHealthCheckController.runHealthCheck', () => ({ default: jest.fn() }), {
  virtual: true,
});

const MIXED = require('./data/resultsMixed.json');
const HEALTHY = require('./data/resultsHealthy.json');

const mocked = (fn: unknown) => fn as jest.Mock;
const APEX_ERROR = { body: { message: 'Only Tightknit admins can run the Tightknit Setup app.' }, status: 500 };

async function render(): Promise<ShadowRoot> {
  const element = await mount('c-tightknit-health-check', TightknitHealthCheck);
  await flushPromises();
  return element.shadowRoot as ShadowRoot;
}

function byId(root: ShadowRoot, id: string): HTMLElement | null {
  return root.querySelector(`[data-id="${id}"]`);
}

function rows(root: ShadowRoot): HTMLElement[] {
  return Array.from(root.querySelectorAll('[data-id="check"]'));
}

function row(root: ShadowRoot, key: string): HTMLElement {
  return root.querySelector(`[data-key="${key}"]`) as HTMLElement;
}

describe('c-tightknit-health-check', () => {
  afterEach(cleanupDom);

  it('shows a spinner while the checks run', async () => {
    mocked(runHealthCheck).mockReturnValue(new Promise(() => undefined));
    const element = await mount('c-tightknit-health-check', TightknitHealthCheck);
    const root = element.shadowRoot as ShadowRoot;

    expect(byId(root, 'loading')).not.toBeNull();
    expect(byId(root, 'checks')).toBeNull();
    expect((byId(root, 'refresh-button') as HTMLElement & { disabled: boolean }).disabled).toBe(true);
  });

  it('lists findings needing action first, with the consequence and a Fix in Setup link in a new tab', async () => {
    mocked(runHealthCheck).mockResolvedValue(MIXED);
    const root = await render();

    const shown = rows(root);
    expect(shown).toHaveLength(7);
    expect(shown[0].dataset.key).toBe('sharing-Activity__c');
    expect(shown[1].dataset.key).toBe('users-group');

    const activity = row(root, 'sharing-Activity__c');
    expect(activity.querySelector('[data-id="check-status"]')?.textContent?.trim()).toBe(
      'c.Health_Status_Action_Required',
    );
    expect(activity.querySelector('[data-id="check-detail"]')?.textContent).toContain(
      "most users won't see synced activity",
    );
    const fix = activity.querySelector('[data-id="check-fix"]') as HTMLAnchorElement;
    expect(fix.getAttribute('href')).toBe('/lightning/setup/SecuritySharing/home');
    expect(fix.getAttribute('target')).toBe('_blank');
    expect(fix.textContent?.trim()).toBe('Fix in Setup');

    const community = row(root, 'sharing-Community__c');
    expect(community.querySelector('[data-id="check-status"]')?.textContent?.trim()).toBe('c.Health_Status_Healthy');
    expect(community.querySelector('[data-id="check-fix"]')).toBeNull();
    expect(row(root, 'users-group').querySelector('[data-id="check-status"]')?.textContent?.trim()).toBe(
      'c.Health_Status_Warning',
    );
    expect(byId(root, 'summary')?.textContent?.trim()).toBe('c.Health_Summary_Attention');
    expect(byId(root, 'summary')?.className).toContain('slds-text-color_error');
    expect(accessibilityProblems(root.host)).toEqual([]);
  });

  it('says all checks are healthy when they are', async () => {
    mocked(runHealthCheck).mockResolvedValue(HEALTHY);
    const root = await render();

    expect(byId(root, 'summary')?.textContent?.trim()).toBe('c.Health_Summary_Healthy');
    expect(byId(root, 'summary')?.className).toContain('slds-text-color_success');
    expect(root.querySelectorAll('[data-id="check-fix"]')).toHaveLength(0);
    expect(byId(root, 'checked-at')).not.toBeNull();
  });

  it('shows the error panel when the checks cannot run', async () => {
    mocked(runHealthCheck).mockRejectedValue(APEX_ERROR);
    const root = await render();

    const panel = byId(root, 'load-error') as HTMLElement & { errors: unknown; friendlyMessage: string };
    expect(panel.errors).toEqual(APEX_ERROR);
    expect(panel.friendlyMessage).toBe('c.Health_Load_Error');
    expect(byId(root, 'checks')).toBeNull();
    expect(accessibilityProblems(root.host)).toEqual([]);
  });

  it('re-runs the checks on Refresh and shows the new results', async () => {
    mocked(runHealthCheck).mockResolvedValueOnce(MIXED).mockResolvedValueOnce(HEALTHY);
    const root = await render();
    expect(rows(root)).toHaveLength(7);

    (byId(root, 'refresh-button') as HTMLElement).click();
    await flushPromises();

    expect(runHealthCheck).toHaveBeenCalledTimes(2);
    expect(rows(root)).toHaveLength(3);
    expect(byId(root, 'summary')?.textContent?.trim()).toBe('c.Health_Summary_Healthy');
  });

  it('recovers from an error on Refresh', async () => {
    mocked(runHealthCheck).mockRejectedValueOnce(APEX_ERROR).mockResolvedValueOnce(HEALTHY);
    const root = await render();
    expect(byId(root, 'load-error')).not.toBeNull();

    (byId(root, 'refresh-button') as HTMLElement).click();
    await flushPromises();

    expect(byId(root, 'load-error')).toBeNull();
    expect(rows(root)).toHaveLength(3);
  });

  it('replaces old results with the error when a Refresh fails', async () => {
    mocked(runHealthCheck).mockResolvedValueOnce(MIXED).mockRejectedValueOnce(APEX_ERROR);
    const root = await render();

    (byId(root, 'refresh-button') as HTMLElement).click();
    await flushPromises();

    expect(byId(root, 'load-error')).not.toBeNull();
    expect(byId(root, 'checks')).toBeNull();
  });
});

describe('healthCheckModel', () => {
  const labels = { healthy: 'H', actionRequired: 'A', warning: 'W' };

  it('counts each status', () => {
    expect(summarize(MIXED)).toEqual({ actionRequired: 1, warnings: 1, healthy: 5 });
    expect(summarize([])).toEqual({ actionRequired: 0, warnings: 0, healthy: 0 });
  });

  it('keeps the server order within a status and marks rows with a fix', () => {
    const result = toRows(MIXED, labels);
    expect(result.map((r) => r.statusLabel)).toEqual(['A', 'W', 'H', 'H', 'H', 'H', 'H']);
    expect(result.slice(2).map((r) => r.key)).toEqual([
      'sharing-Community__c',
      'sharing-Member__c',
      'integration-user',
      'contact-access',
      'last-data',
    ]);
    expect(result[0].hasFix).toBe(true);
    expect(result[2].hasFix).toBe(false);
  });
});
