import MatchRules from 'tk/matchRules';
import { byId, cleanup, click, flush, mount, must, text, typeInto } from '../../../../__tests__/helpers';

describe('tk-match-rules', () => {
  afterEach(cleanup);

  async function editor(rules: string[], error = '') {
    const el = mount('tk-match-rules', MatchRules, { rules, error });
    const changes: string[][] = [];
    el.addEventListener('ruleschange', (e) => changes.push((e as CustomEvent<string[]>).detail));
    await flush();
    return { el, changes };
  }

  it('lists the rules in order, each move labelled, the boundary moves disabled', async () => {
    const { el } = await editor(['Contact.Email', 'Contact.Work_Email__c', 'Lead.Email']);
    expect(Array.from(el.querySelectorAll('[data-id="rule-text"]')).map((n) => n.textContent)).toEqual([
      'Contact.Email',
      'Contact.Work_Email__c',
      'Lead.Email',
    ]);
    const second = must(el, 'rule-1');
    expect(must(second, 'rule-up').getAttribute('aria-label')).toBe('Move Contact.Work_Email__c up');
    expect(must<HTMLButtonElement>(second, 'rule-down').disabled).toBe(true);
    expect(must<HTMLButtonElement>(must(el, 'rule-2'), 'rule-up').disabled).toBe(true);
    for (const input of Array.from(el.querySelectorAll('input, select'))) {
      expect(el.querySelector(`label[for="${input.id}"]`)).not.toBeNull();
    }
  });

  it('reports moves, removals and additions as the new list', async () => {
    const { el, changes } = await editor(['Contact.Email', 'Contact.Work_Email__c', 'Lead.Email']);
    click(must(el, 'rule-1'), 'rule-up');
    click(must(el, 'rule-2'), 'rule-remove');
    const object = must<HTMLSelectElement>(el, 'rule-object');
    object.value = 'Lead';
    object.dispatchEvent(new CustomEvent('change'));
    typeInto(must(el, 'rule-field'), 'Secondary_Email__c');
    click(el, 'rule-add');
    await flush();
    expect(changes).toEqual([
      ['Contact.Work_Email__c', 'Contact.Email', 'Lead.Email'],
      ['Contact.Email', 'Contact.Work_Email__c'],
      ['Contact.Email', 'Contact.Work_Email__c', 'Lead.Email', 'Lead.Secondary_Email__c'],
    ]);
    expect(must<HTMLInputElement>(el, 'rule-field').value).toBe('');
  });

  it('explains a rule it cannot add, and shows the list error it is given', async () => {
    const { el, changes } = await editor(['Contact.Email'], 'lists a rule twice');
    typeInto(must(el, 'rule-field'), 'Email');
    must(el, 'rule-field').dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    await flush();
    expect(changes).toEqual([]);
    expect(text(el, 'rule-add-error')).toBe('Contact.Email is already a rule.');
    expect(must(el, 'rule-field').getAttribute('aria-invalid')).toBe('true');
    expect(text(el, 'error-matchRules')).toBe('lists a rule twice');
    expect(must(el, 'match-rules').getAttribute('aria-describedby')).toContain('tk-rules-error');
    typeInto(must(el, 'rule-field'), 'Work_Email__c');
    await flush();
    expect(byId(el, 'rule-add-error')).toBeNull();
  });

  it('says when there is no rule', async () => {
    const { el } = await editor([]);
    expect(text(el, 'rules-empty')).toContain('not linked');
  });
});
