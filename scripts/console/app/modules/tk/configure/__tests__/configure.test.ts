import Configure from 'tk/configure';
import { getConfig, rematch, saveConfig } from 'tk/api';
import { apiError, byId, cleanup, click, flush, mount, must, text, typeInto } from '../../../../__tests__/helpers';
import * as fx from '../../../../__tests__/fixtures';

jest.mock('tk/api', () => ({ getConfig: jest.fn(), saveConfig: jest.fn(), rematch: jest.fn() }));

const mocked = (fn: unknown) => fn as jest.Mock;

function toggle(el: HTMLElement, id: string): void {
  const input = must<HTMLInputElement>(el, id);
  input.checked = !input.checked;
  input.dispatchEvent(new CustomEvent('change'));
}

describe('tk-configure', () => {
  afterEach(cleanup);

  it('loads the configuration from the server when the status has none yet', async () => {
    mocked(getConfig).mockResolvedValue({ ...fx.config(), intervalMinutes: 15 });
    const el = mount('tk-configure', Configure, { connected: true });
    await flush();
    expect(getConfig).toHaveBeenCalledTimes(1);
    expect(must<HTMLInputElement>(el, 'interval').value).toBe('15');
  });

  it('shows the loaded configuration in its inputs', async () => {
    const el = mount('tk-configure', Configure, { config: fx.config(), connected: true });
    await flush();
    expect(getConfig).not.toHaveBeenCalled();
    expect(must<HTMLInputElement>(el, 'create-contacts').checked).toBe(false);
    expect(text(el, 'rule-0')).toContain('Contact.Email');
    expect(must<HTMLInputElement>(el, 'interval').value).toBe('5');
    expect(must<HTMLInputElement>(el, 'weight-post_created').value).toBe('5');
    expect(must<HTMLInputElement>(el, 'weight-reaction_added').value).toBe('1');
    expect(el.querySelectorAll('[data-id^="weight-"]')).toHaveLength(13);
    expect(must<HTMLInputElement>(el, 'threshold-champion').value).toBe('40');
    expect(must<HTMLButtonElement>(el, 'review-button').disabled).toBe(false);
    for (const input of Array.from(el.querySelectorAll('input'))) {
      expect(el.querySelector(`label[for="${input.id}"]`)).not.toBeNull();
    }
  });

  it('disables Review and start while not connected, and while changes are unsaved', async () => {
    const el = mount('tk-configure', Configure, { config: fx.config(), connected: false });
    await flush();
    expect(must<HTMLButtonElement>(el, 'review-button').disabled).toBe(true);
    expect(text(el, 'review-hint')).toContain('Connect to Salesforce');
    Object.assign(el, { connected: true });
    await flush();
    expect(must<HTMLButtonElement>(el, 'review-button').disabled).toBe(false);
    toggle(el, 'create-contacts');
    await flush();
    expect(must<HTMLButtonElement>(el, 'review-button').disabled).toBe(true);
    expect(text(el, 'review-hint')).toContain('Save your changes');
  });

  it('shows client-side errors next to their inputs and does not save', async () => {
    const el = mount('tk-configure', Configure, { config: fx.config(), connected: true });
    await flush();
    typeInto(must(el, 'interval'), '0');
    typeInto(must(el, 'weight-post_created'), '-2');
    typeInto(must(el, 'threshold-high'), '50');
    click(el, 'save-config');
    await flush();
    expect(saveConfig).not.toHaveBeenCalled();
    expect(text(el, 'error-intervalMinutes')).toBe('Enter a whole number of minutes from 1 to 1440.');
    expect(text(el, 'error-engagement.weights.post_created')).toBe('Enter a number of 0 or more.');
    expect(text(el, 'error-engagement.thresholds.champion')).toBe('Champion must be greater than High.');
    const interval = must<HTMLInputElement>(el, 'interval');
    expect(interval.getAttribute('aria-describedby')).toContain(must(el, 'error-intervalMinutes').id);
    expect(interval.getAttribute('aria-invalid')).toBe('true');
    expect(byId(el, 'config-errors')?.getAttribute('role')).toBe('alert');
    // Editing the field clears its error.
    typeInto(interval, '10');
    await flush();
    expect(byId(el, 'error-intervalMinutes')).toBeNull();
  });

  it('maps a 400 answer field by field', async () => {
    mocked(saveConfig).mockRejectedValue(
      apiError(
        400,
        'INVALID_CONFIG',
        'The configuration was not saved.',
        ['Correct the fields marked.'],
        [
          { field: 'matchRules', reason: 'Contact has no field Work_Mail__c.' },
          { field: 'engagement.weights.other', reason: 'Must be at most 100.' },
        ],
      ),
    );
    const el = mount('tk-configure', Configure, { config: fx.config(), connected: true });
    await flush();
    typeInto(must(el, 'rule-field'), 'Work_Mail__c');
    click(el, 'rule-add');
    typeInto(must(el, 'weight-other'), '500');
    click(el, 'save-config');
    await flush();
    expect(saveConfig).toHaveBeenCalledTimes(1);
    expect(mocked(saveConfig).mock.calls[0][0].matchRules).toEqual(['Contact.Email', 'Contact.Work_Mail__c']);
    expect(text(el, 'error-matchRules')).toBe('Contact has no field Work_Mail__c.');
    expect(text(el, 'error-engagement.weights.other')).toBe('Must be at most 100.');
    expect(text(el, 'config-error')).toContain('The configuration was not saved.');
    expect(byId(el, 'config-saved')).toBeNull();
  });

  it('saves the whole form and says so', async () => {
    const savedConfig = { ...fx.config(), createContacts: true, intervalMinutes: 10 };
    mocked(saveConfig).mockResolvedValue(savedConfig);
    const el = mount('tk-configure', Configure, { config: fx.config(), connected: true });
    const changed = jest.fn();
    el.addEventListener('configchange', changed);
    await flush();
    toggle(el, 'create-contacts');
    typeInto(must(el, 'interval'), '10');
    click(el, 'save-config');
    await flush();
    const body = mocked(saveConfig).mock.calls[0][0];
    expect(body.createContacts).toBe(true);
    expect(body.intervalMinutes).toBe(10);
    expect(body.engagement.thresholds).toEqual({ champion: 40, high: 15, medium: 5 });
    expect(text(el, 'config-saved')).toBe('Settings saved.');
    expect(changed.mock.calls[0][0].detail).toEqual(savedConfig);
    expect(must<HTMLButtonElement>(el, 'review-button').disabled).toBe(false);
  });

  it('keeps unsaved edits when a new status arrives, and takes it when there are none', async () => {
    const el = mount('tk-configure', Configure, { config: fx.config(), connected: true });
    await flush();
    click(el, 'rule-remove');
    Object.assign(el, { config: { ...fx.config(), intervalMinutes: 30 } });
    await flush();
    expect(byId(el, 'rules-empty')).not.toBeNull();
    typeInto(must(el, 'rule-field'), 'Email');
    click(el, 'rule-add');
    typeInto(must(el, 'interval'), '30');
    Object.assign(el, { config: { ...fx.config(), intervalMinutes: 60 } });
    await flush();
    expect(must<HTMLInputElement>(el, 'interval').value).toBe('60');
  });

  it('asks to review when the button is pressed', async () => {
    const el = mount('tk-configure', Configure, { config: fx.config(), connected: true });
    const review = jest.fn();
    el.addEventListener('review', review);
    await flush();
    click(el, 'review-button');
    expect(review).toHaveBeenCalledTimes(1);
  });

  describe('after a save that changed the match rules', () => {
    const withRules = (rules: string[]) => ({ ...fx.config(), matchRules: rules, matchRulesInForce: rules });

    async function saveNewRules(backfilled: boolean): Promise<HTMLElement> {
      mocked(saveConfig).mockResolvedValue(withRules(['Contact.Work_Email__c', 'Contact.Email']));
      const el = mount('tk-configure', Configure, { config: fx.config(), connected: true, backfilled });
      await flush();
      typeInto(must(el, 'rule-field'), 'Work_Email__c');
      click(el, 'rule-add');
      await flush();
      must<HTMLButtonElement>(el.querySelector('[data-id="rule-1"]')!, 'rule-up').click();
      click(el, 'save-config');
      await flush();
      return el;
    }

    it('offers the re-match when members were pushed, with why, and starts it', async () => {
      const started = fx.statusWaiting();
      mocked(rematch).mockResolvedValue(started);
      const el = await saveNewRules(true);
      expect(mocked(saveConfig).mock.calls[0][0].matchRules).toEqual(['Contact.Work_Email__c', 'Contact.Email']);
      expect(text(el, 'rematch-text')).toContain('keep their current Contact or Lead');
      const statusChange = jest.fn();
      el.addEventListener('statuschange', statusChange);
      click(el, 'rematch-button');
      await flush();
      expect(rematch).toHaveBeenCalledTimes(1);
      expect(statusChange.mock.calls[0][0].detail).toEqual(started);
      expect(text(el, 'rematch-started')).toContain('re-match is running');
      expect(byId(el, 'rematch-button')).toBeNull();
    });

    it('does not offer it before the first backfill, nor when the rules stayed', async () => {
      const el = await saveNewRules(false);
      expect(byId(el, 'rematch-offer')).toBeNull();
      cleanup();
      mocked(saveConfig).mockResolvedValue({ ...fx.config(), intervalMinutes: 9 });
      const same = mount('tk-configure', Configure, { config: fx.config(), connected: true, backfilled: true });
      await flush();
      typeInto(must(same, 'interval'), '9');
      click(same, 'save-config');
      await flush();
      expect(text(same, 'config-saved')).toBe('Settings saved.');
      expect(byId(same, 'rematch-offer')).toBeNull();
    });

    it('shows why the re-match could not start', async () => {
      mocked(rematch).mockRejectedValue(
        apiError(409, 'ALREADY_RUNNING', 'A retry is already running in this console.', ['Wait for it to finish.']),
      );
      const el = await saveNewRules(true);
      click(el, 'rematch-button');
      await flush();
      expect(text(el, 'rematch-error')).toContain('A retry is already running');
      expect(text(el, 'rematch-error')).toContain('Wait for it to finish.');
      expect(must<HTMLButtonElement>(el, 'rematch-button').disabled).toBe(false);
    });
  });
});
