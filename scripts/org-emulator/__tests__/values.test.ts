import { field } from '../schema/model';
import { checkValue, fromJson, fromText, parseDateTime } from '../store/values';
import { idSuffix, isIdShaped, makeId, to18 } from '../ids';

// Formats from the Bulk API 2.0 guide ("Valid Date Format in Records") and id rules from the
// Salesforce help article on 15- and 18-character ids.
describe('field values', () => {
  it('normalises date-times with offsets to UTC and rejects impossible dates', () => {
    expect(parseDateTime('2024-05-01T12:00:00.000+02:00')).toBe('2024-05-01T10:00:00.000+0000');
    expect(parseDateTime('2024-05-01T12:00:00Z')).toBe('2024-05-01T12:00:00.000+0000');
    expect(parseDateTime('2024-05-01T12:00:00-0130')).toBe('2024-05-01T13:30:00.000+0000');
    expect(parseDateTime('2023-02-29T00:00:00Z')).toBeUndefined();
    expect(parseDateTime('2024-05-01 12:00:00')).toBeUndefined();
  });

  it('converts booleans, numbers and dates from CSV text', () => {
    expect(fromText(field('A__c', 'boolean'), 'TRUE')).toEqual({ ok: true, value: true });
    expect(fromText(field('A__c', 'boolean'), '0')).toEqual({ ok: true, value: false });
    expect(fromText(field('N__c', 'double', { precision: 10, scale: 2 }), '3.14159')).toEqual({
      ok: true,
      value: 3.14,
    });
    expect(fromText(field('D__c', 'date'), '2024-02-30').ok).toBe(false);
    expect(fromText(field('D__c', 'date'), '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
  });

  it('checks number ranges, restricted picklists and lengths', () => {
    const score = field('Score__c', 'double', { precision: 4, scale: 2, label: 'Score' });
    expect(checkValue(score, 100)?.code).toBe('NUMBER_OUTSIDE_VALID_RANGE');
    expect(checkValue(score, 99.99)).toBeUndefined();
    const level = field('Level__c', 'picklist', { picklistValues: ['High'], restrictedPicklist: true, label: 'Level' });
    expect(checkValue(level, 'Low')).toEqual({
      code: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      message: 'Level: bad value for restricted picklist field: Low',
      fields: ['Level__c'],
    });
    expect(fromJson(field('T__c', 'string', { length: 3 }), 'abcd').ok).toBe(false);
    expect(fromJson(field('T__c', 'string', { length: 3 }), null)).toEqual({ ok: true, value: null });
  });

  it('builds 18-character ids with the case-safe suffix', () => {
    const id = makeId('003', 1);
    expect(id).toHaveLength(18);
    expect(isIdShaped(id)).toBe(true);
    expect(to18(id.slice(0, 15))).toBe(id);
    // Worked example: upper-case letters at positions 4 and 12 of 001A0000006Vm9r give I, A, C.
    expect(idSuffix('001A0000006Vm9r')).toBe('IAC');
    expect(isIdShaped('001A0000006Vm9rXXX')).toBe(false);
  });
});
