import { addRule, moveRule, removeRule, ruleRows } from '../matchRulesModel';

describe('matchRulesModel', () => {
  const rules = ['Contact.Email', 'Contact.Work_Email__c', 'Lead.Email'];

  it('puts a new Contact rule after the Contact rules and a Lead rule last', () => {
    expect(addRule(rules, 'Contact', ' Personal_Email__c ')).toEqual({
      rules: ['Contact.Email', 'Contact.Work_Email__c', 'Contact.Personal_Email__c', 'Lead.Email'],
    });
    expect(addRule(['Contact.Email'], 'Lead', 'Email')).toEqual({ rules: ['Contact.Email', 'Lead.Email'] });
  });

  it.each([
    ['Work Email', 'Enter a field API name, such as Email or Work_Email__c.'],
    ['', 'Enter a field API name, such as Email or Work_Email__c.'],
    ['email', 'Contact.email is already a rule.'],
  ])('refuses %p: %s', (field, error) => {
    expect(addRule(rules, 'Contact', field)).toEqual({ error });
  });

  it('takes at most five rules', () => {
    const five = ['Contact.A', 'Contact.B', 'Contact.C', 'Contact.D', 'Lead.Email'];
    expect(addRule(five, 'Lead', 'Other__c')).toEqual({ error: 'At most 5 rules.' });
  });

  it('moves a rule only within its object, and removes', () => {
    expect(moveRule(rules, 1, -1)).toEqual(['Contact.Work_Email__c', 'Contact.Email', 'Lead.Email']);
    expect(moveRule(rules, 1, 1)).toBe(rules);
    expect(moveRule(rules, 0, -1)).toBe(rules);
    expect(removeRule(rules, 2)).toEqual(['Contact.Email', 'Contact.Work_Email__c']);
    const rows = ruleRows(rules);
    expect(rows.map((r) => [r.upDisabled, r.downDisabled])).toEqual([
      [true, false],
      [false, true],
      [true, true],
    ]);
    expect(rows[2]).toMatchObject({ object: 'Lead', field: 'Email', position: 3, removeLabel: 'Remove Lead.Email' });
  });
});
