import RadioGroup from 'tk/radioGroup';
import { cleanup, flush, mount, must } from '../../../../__tests__/helpers';

function options(checked: string) {
  return ['off', 'http', 'socket-mode'].map((value) => ({
    value,
    label: `Mode ${value}`,
    checked: value === checked,
    inputId: `tk-x-mode-${value}`,
    dataId: `mode-${value}`,
  }));
}

function radio(el: HTMLElement, value: string): HTMLInputElement {
  return must<HTMLInputElement>(el, `mode-${value}`);
}

describe('tk-radio-group', () => {
  afterEach(cleanup);

  it('is a fieldset named by its legend, each input labelled and pointing at the help line', async () => {
    const el = mount('tk-radio-group', RadioGroup, {
      legend: 'How new activity arrives',
      name: 'tk-x-mode',
      options: options('http'),
      help: 'Slack posts to your Request URL.',
      fieldClass: 'slds-m-top_medium',
    });
    await flush();
    const fieldset = el.querySelector('fieldset')!;
    expect(fieldset.className).toBe('slds-form-element slds-m-top_medium');
    expect(fieldset.querySelector('legend')?.textContent).toBe('How new activity arrives');
    const inputs = Array.from(el.querySelectorAll<HTMLInputElement>('input'));
    expect(inputs.map((i) => i.getAttribute('data-id'))).toEqual(['mode-off', 'mode-http', 'mode-socket-mode']);
    for (const input of inputs) {
      expect(input.type).toBe('radio');
      expect(input.name).toBe('tk-x-mode');
      expect(input.getAttribute('aria-describedby')).toBe('tk-x-mode-help');
      expect(el.querySelector(`label[for="${input.id}"]`)?.textContent).toBe(`Mode ${input.value}`);
    }
    expect(inputs.map((i) => i.id)).toEqual(['tk-x-mode-off', 'tk-x-mode-http', 'tk-x-mode-socket-mode']);
    const help = el.querySelector('#tk-x-mode-help')!;
    expect(help.textContent).toBe('Slack posts to your Request URL.');
    expect(help.className).toBe('tk-help slds-text-color_weak');
    expect(help.hasAttribute('data-id')).toBe(false);
  });

  it('checks the option the parent marks, and follows when the parent changes it', async () => {
    const el = mount('tk-radio-group', RadioGroup, { name: 'tk-x-mode', options: options('off') });
    await flush();
    expect(radio(el, 'off').checked).toBe(true);
    expect(radio(el, 'http').checked).toBe(false);
    expect(radio(el, 'socket-mode').checked).toBe(false);
    Object.assign(el, { options: options('socket-mode') });
    await flush();
    expect(radio(el, 'off').checked).toBe(false);
    expect(radio(el, 'socket-mode').checked).toBe(true);
  });

  it('reports the picked value as valuechange with its name', async () => {
    const el = mount('tk-radio-group', RadioGroup, { name: 'tk-x-mode', options: options('off') });
    await flush();
    const seen: unknown[] = [];
    el.addEventListener('valuechange', (e) => seen.push((e as CustomEvent).detail));
    radio(el, 'http').click();
    expect(seen).toEqual([{ name: 'tk-x-mode', value: 'http' }]);
    expect(radio(el, 'http').checked).toBe(true);
  });

  it('lays the choices out in a row by default, or in a column', async () => {
    const row = mount('tk-radio-group', RadioGroup, { name: 'tk-x-row', options: options('off') });
    await flush();
    expect(row.querySelector('.slds-form-element__control')?.classList.contains('tk-radio-row')).toBe(true);
    expect(row.querySelector('.slds-radio')?.className).toBe('slds-radio slds-m-right_medium');
    const column = mount('tk-radio-group', RadioGroup, { name: 'tk-x-col', options: options('off'), layout: 'column' });
    await flush();
    expect(column.querySelector('.slds-form-element__control')?.classList.contains('tk-radio-column')).toBe(true);
    expect(column.querySelector('.slds-radio')?.className).toBe('slds-radio');
  });

  it('takes the help line its id, data-id and classes (red when the choice cannot work yet)', async () => {
    const el = mount('tk-radio-group', RadioGroup, {
      name: 'tk-x-mode',
      options: options('http'),
      help: 'No signing secret is stored.',
      helpId: 'tk-x-other-help',
      helpDataId: 'mode-help',
      helpClass: 'tk-help slds-text-color_error',
    });
    await flush();
    const help = must(el, 'mode-help');
    expect(help.id).toBe('tk-x-other-help');
    expect(help.className).toBe('tk-help slds-text-color_error');
    expect(radio(el, 'http').getAttribute('aria-describedby')).toBe('tk-x-other-help');
  });
});
