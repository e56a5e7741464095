import { buildChange, formFromConfig, isDirty, rulesChanged, validateConfig, weightTypes } from '../configForm';
import * as fx from '../../../../__tests__/fixtures';

describe('configForm', () => {
  it('copies the configuration into strings and back into the PUT body', () => {
    const config = fx.config();
    const form = formFromConfig(config);
    expect(form.intervalMinutes).toBe('5');
    expect(form.weights.post_created).toBe('5');
    expect(form.matchRules).toEqual(['Contact.Email']);
    expect(buildChange(form, config)).toEqual({
      createContacts: false,
      activityMetadata: false,
      intervalMinutes: 5,
      engagement: { weights: config.engagement.weights, thresholds: { champion: 40, high: 15, medium: 5 } },
    });
  });

  it('lists the 13 activity types first, then unknown ones from the config', () => {
    const config = fx.config();
    config.engagement.weights.webinar_watched = 2;
    const types = weightTypes(config).map((t) => t.value);
    expect(types).toHaveLength(14);
    expect(types[0]).toBe('message_sent');
    expect(types[13]).toBe('webinar_watched');
  });

  it('accepts the defaults', () => {
    expect(validateConfig(formFromConfig(fx.config()))).toEqual({});
  });

  it.each([
    ['0', true],
    ['1', false],
    ['1440', false],
    ['1441', true],
    ['2.5', true],
    ['', true],
  ])('interval %p is rejected: %p', (value, rejected) => {
    const form = { ...formFromConfig(fx.config()), intervalMinutes: value };
    expect('intervalMinutes' in validateConfig(form)).toBe(rejected);
  });

  it('sends the match rules only when they differ from those in force, and needs one at least', () => {
    const config = fx.config();
    const form = { ...formFromConfig(config), matchRules: ['Contact.Work_Email__c', 'Contact.Email'] };
    expect(buildChange(form, config).matchRules).toEqual(['Contact.Work_Email__c', 'Contact.Email']);
    expect(isDirty(form, config)).toBe(true);
    expect(validateConfig({ ...form, matchRules: [] })).toEqual({ matchRules: 'Keep at least one rule.' });
    const after = { ...config, matchRules: form.matchRules, matchRulesInForce: form.matchRules };
    expect(rulesChanged(config, after)).toBe(true);
    expect(rulesChanged(config, { ...config, intervalMinutes: 9 })).toBe(false);
    expect(rulesChanged(null, after)).toBe(false);
  });

  it('rejects negative and non-numeric weights under their request path', () => {
    const form = formFromConfig(fx.config());
    form.weights.post_created = '-1';
    form.weights.other = '';
    form.weights.poll_voted = '0';
    const errors = validateConfig(form);
    expect(Object.keys(errors).sort()).toEqual(['engagement.weights.other', 'engagement.weights.post_created']);
  });

  it('requires champion > high > medium > 0', () => {
    const form = formFromConfig(fx.config());
    form.thresholds = { champion: '10', high: '15', medium: '15' };
    expect(validateConfig(form)).toEqual({
      'engagement.thresholds.champion': 'Champion must be greater than High.',
      'engagement.thresholds.high': 'High must be greater than Medium.',
    });
    form.thresholds = { champion: '40', high: '15', medium: '0' };
    expect(validateConfig(form)).toEqual({ 'engagement.thresholds.medium': 'Enter a number greater than 0.' });
  });

  it('is dirty only when a value really changed', () => {
    const config = fx.config();
    const form = formFromConfig(config);
    expect(isDirty(form, config)).toBe(false);
    expect(isDirty({ ...form, intervalMinutes: '05' }, config)).toBe(false);
    expect(isDirty({ ...form, intervalMinutes: '15' }, config)).toBe(true);
    expect(isDirty({ ...form, createContacts: true }, config)).toBe(true);
  });
});
