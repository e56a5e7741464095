import { parseSoql } from '../soql/parser';
import { SoqlSyntaxError } from '../soql/lexer';
import { dateLiteralRange } from '../soql/date-literals';

// Grammar from the SOQL and SOSL Reference: "SOQL SELECT Syntax", "Comparison Operators",
// "Date Formats and Date Literals", "ORDER BY".
describe('SOQL parser', () => {
  it('parses field lists, relationship paths, WHERE, ORDER BY, LIMIT and OFFSET', () => {
    const q = parseSoql(
      "SELECT Id, Account.Name FROM Contact WHERE (Email LIKE '%@x.io' OR Name IN ('a', 'b')) AND NOT IsDeleted = true ORDER BY LastModifiedDate DESC NULLS FIRST, Name LIMIT 10 OFFSET 5",
    );
    expect(q.fields.map((f) => f.path)).toEqual(['Id', 'Account.Name']);
    expect(q.object).toBe('Contact');
    expect(q.where).toMatchObject({
      kind: 'and',
      items: [
        { kind: 'or', items: [{ op: 'LIKE', value: { kind: 'string', value: '%@x.io' } }, { op: 'IN' }] },
        { kind: 'not', item: { op: '=', value: { kind: 'boolean', value: true } } },
      ],
    });
    expect(q.orderBy).toEqual([
      { path: 'LastModifiedDate', desc: true, nullsLast: false, column: 122 },
      { path: 'Name', desc: false, nullsLast: false, column: 157 },
    ]);
    expect([q.limit, q.offset]).toEqual([10, 5]);
  });

  it('reads literals: escaped strings, numbers, null, dates, date-times, relative dates, NOT IN, <>', () => {
    const q = parseSoql(
      "SELECT COUNT() FROM Lead WHERE Company = 'O\\'Reilly' AND Score__c >= -1.5 AND Email <> null AND CreatedDate > 2024-01-02T03:04:05Z AND CloseDate = 2024-01-02 AND LastModifiedDate = LAST_N_DAYS:30 AND Status NOT IN ('x')",
    );
    expect(q.count).toBe(true);
    const values = (q.where as { items: Array<{ op: string; value: unknown }> }).items.map((c) => [c.op, c.value]);
    expect(values).toEqual([
      ['=', { kind: 'string', value: "O'Reilly" }],
      ['>=', { kind: 'number', value: -1.5 }],
      ['!=', { kind: 'null' }],
      ['>', { kind: 'datetime', value: '2024-01-02T03:04:05Z' }],
      ['=', { kind: 'date', value: '2024-01-02' }],
      ['=', { kind: 'dateLiteral', name: 'LAST_N_DAYS', n: 30 }],
      ['NOT IN', [{ kind: 'string', value: 'x' }]],
    ]);
  });

  it('reports the column of the first unexpected token', () => {
    expect(() => parseSoql('SELECT Id FROM')).toThrow(SoqlSyntaxError);
    try {
      parseSoql('SELECT Id FROM Contact WHERE Name = ');
    } catch (e) {
      expect((e as SoqlSyntaxError).message).toBe('unexpected token: <EOF>');
    }
    try {
      parseSoql('SELECT Id, FROM Contact');
    } catch (e) {
      expect((e as SoqlSyntaxError).column).toBe(12);
    }
  });

  it('computes relative date ranges in GMT', () => {
    const now = Date.UTC(2024, 4, 15, 13, 0, 0); // Wednesday 15 May 2024
    const day = (t: number): string => new Date(t).toISOString().slice(0, 10);
    expect(dateLiteralRange('TODAY', 0, now).map(day)).toEqual(['2024-05-15', '2024-05-16']);
    expect(dateLiteralRange('LAST_N_DAYS', 7, now).map(day)).toEqual(['2024-05-08', '2024-05-16']);
    expect(dateLiteralRange('THIS_WEEK', 0, now).map(day)).toEqual(['2024-05-12', '2024-05-19']);
    expect(dateLiteralRange('LAST_MONTH', 0, now).map(day)).toEqual(['2024-04-01', '2024-05-01']);
  });
});
