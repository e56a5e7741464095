import FormField from 'tk/formField';
import { cleanup, flush, mount, must } from '../../../../__tests__/helpers';

describe('tk-form-field', () => {
  afterEach(cleanup);

  it('labels the input and ties the help text to it', async () => {
    const el = mount('tk-form-field', FormField, {
      name: 'clientId',
      label: 'Client ID',
      value: 'abc',
      inputId: 'tk-x-client-id',
      controlId: 'client-id',
      help: 'From the connected app.',
    });
    await flush();
    const input = must<HTMLInputElement>(el, 'client-id');
    expect(input.value).toBe('abc');
    expect(input.type).toBe('text');
    expect(el.querySelector('label')?.getAttribute('for')).toBe('tk-x-client-id');
    expect(input.id).toBe('tk-x-client-id');
    expect(input.getAttribute('aria-describedby')).toBe('tk-x-client-id-help');
    expect(el.querySelector('#tk-x-client-id-help')?.textContent).toBe('From the connected app.');
    expect(input.hasAttribute('aria-invalid')).toBe(false);
    expect(input.hasAttribute('placeholder')).toBe(false);
    expect(el.querySelector('.slds-required')).toBeNull();
    expect(el.querySelector('[role="alert"]')).toBeNull();
  });

  it('shows the error as an alert the input points at', async () => {
    const el = mount('tk-form-field', FormField, {
      name: 'engagement.weights.other',
      label: 'Other',
      type: 'number',
      min: '0',
      step: 'any',
      inputId: 'tk-x-other',
      controlId: 'weight-other',
      error: 'Enter 0 or more.',
      required: true,
    });
    await flush();
    const input = must<HTMLInputElement>(el, 'weight-other');
    const error = must(el, 'error-engagement.weights.other');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.id).toBe('tk-x-other-error');
    expect(error.textContent).toBe('Enter 0 or more.');
    expect(input.getAttribute('aria-describedby')).toBe('tk-x-other-error');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('min')).toBe('0');
    expect(input.getAttribute('step')).toBe('any');
    expect(input.required).toBe(true);
    expect(el.querySelector('.slds-form-element')?.classList.contains('slds-has-error')).toBe(true);
    expect(el.querySelector('abbr.slds-required')?.textContent).toBe('*');
  });

  it('reports each edit as valuechange with its name', async () => {
    const el = mount('tk-form-field', FormField, { name: 'loginUrl', inputId: 'tk-x-login', controlId: 'login-url' });
    await flush();
    const seen: unknown[] = [];
    el.addEventListener('valuechange', (e) => seen.push((e as CustomEvent).detail));
    const input = must<HTMLInputElement>(el, 'login-url');
    input.value = 'https://example.my.salesforce.com';
    input.dispatchEvent(new CustomEvent('input'));
    expect(seen).toEqual([{ name: 'loginUrl', value: 'https://example.my.salesforce.com' }]);
  });
});
