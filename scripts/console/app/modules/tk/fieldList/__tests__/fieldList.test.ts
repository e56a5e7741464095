import FieldList from 'tk/fieldList';
import type { FieldView } from 'tk/fieldList';
import { cleanup, flush, mount, must } from '../../../../__tests__/helpers';

const fields = (): FieldView[] => [
  {
    name: 'botToken',
    label: 'Bot token',
    value: '',
    type: 'password',
    inputId: 'tk-x-bot',
    dataId: 'x-bot',
    help: 'Starts with xoxb-.',
    error: 'Required.',
    required: true,
    autocomplete: 'off',
  },
  {
    name: 'interval',
    label: 'Interval',
    value: '5',
    type: 'number',
    inputId: 'tk-x-int',
    dataId: 'x-int',
    help: '',
    error: '',
  },
];

describe('tk-field-list', () => {
  afterEach(cleanup);

  it('renders one labelled input a field, with its help, error and spacing', async () => {
    const el = mount('tk-field-list', FieldList, { fields: fields() });
    await flush();
    const bot = must<HTMLInputElement>(el, 'x-bot');
    expect(bot.type).toBe('password');
    expect(bot.required).toBe(true);
    expect(bot.getAttribute('autocomplete')).toBe('off');
    expect(bot.getAttribute('aria-describedby')).toBe('tk-x-bot-help tk-x-bot-error');
    expect(el.querySelector('label[for="tk-x-bot"]')?.textContent).toContain('Bot token');
    expect(must(el, 'error-botToken').textContent).toBe('Required.');
    const interval = must<HTMLInputElement>(el, 'x-int');
    expect(interval.value).toBe('5');
    expect(interval.required).toBe(false);
    expect(interval.hasAttribute('placeholder')).toBe(false);
    const elements = Array.from(el.querySelectorAll('.slds-form-element'));
    expect(elements.map((e) => e.className)).toEqual([
      'slds-form-element slds-has-error slds-m-bottom_small',
      'slds-form-element slds-m-bottom_small',
    ]);
  });

  it('tells the page which field changed, and to what', async () => {
    const el = mount('tk-field-list', FieldList, { fields: fields() });
    const changes: Array<{ name: string; value: string }> = [];
    el.addEventListener('valuechange', (e) => changes.push((e as CustomEvent<{ name: string; value: string }>).detail));
    await flush();
    const interval = must<HTMLInputElement>(el, 'x-int');
    interval.value = '15';
    interval.dispatchEvent(new CustomEvent('input'));
    expect(changes).toEqual([{ name: 'interval', value: '15' }]);
  });
});
