import { formatLabel, reduceErrors } from 'c/tightknitLdsUtils';

describe('reduceErrors', () => {
  it('reads the message of an Apex AuraHandledException', () => {
    expect(reduceErrors({ body: { message: 'No access to members' }, status: 500 })).toEqual(['No access to members']);
  });

  it('reads UI API page and field errors', () => {
    const error = {
      body: { pageErrors: [{ message: 'Page broke' }], fieldErrors: { Name: [{ message: 'Name is required' }] } },
    };
    expect(reduceErrors(error)).toEqual(['Page broke', 'Name is required']);
  });

  it('reads arrays of bodies, JS errors, strings and status texts, without duplicates', () => {
    const errors = [
      { body: [{ message: 'one' }, { message: 'two' }] },
      new Error('boom'),
      'plain',
      { statusText: 'Server Error' },
      'plain',
    ];
    expect(reduceErrors(errors)).toEqual(['one', 'two', 'boom', 'plain', 'Server Error']);
  });

  it('returns nothing for empty or unknown input', () => {
    expect(reduceErrors(undefined)).toEqual([]);
    expect(reduceErrors([null, 42, {}])).toEqual([]);
  });
});

describe('formatLabel', () => {
  it('fills numbered placeholders and blanks missing ones', () => {
    expect(formatLabel('{0} of {1}{2}', 3, 'ten')).toBe('3 of ten');
  });
});
