import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { activitySpec, buildCells, headers, memberSpec, toCollectionRecord } from '../records';
import { csvLine, CsvSpool, encodeCell, truncate, type SpoolPart } from '../csv';
import { chunkForIn, soqlString } from '../query';

describe('CSV cells', () => {
  it('keeps "unchanged" (empty) and "clear" (#N/A) apart and quotes what needs quoting', () => {
    expect(encodeCell(undefined)).toBe('');
    expect(encodeCell(null)).toBe('#N/A');
    expect(encodeCell(true)).toBe('true');
    expect(encodeCell(12.5)).toBe('12.5');
    expect(encodeCell('a,b')).toBe('"a,b"');
    expect(encodeCell('say "hi"\nbye')).toBe('"say ""hi""\nbye"');
    expect(encodeCell(' padded ')).toBe('" padded "');
    expect(csvLine(['x', undefined, null])).toBe('x,,#N/A\n');
  });

  it('writes the same line as csv-stringify for every kind of cell', () => {
    // csv-stringify, told Bulk API's two absences and to quote edge blanks, is the reference encoder.
    const reference = (cells: Array<string | number | boolean | null | undefined>) =>
      stringify([cells.map((c) => (c === null ? '#N/A' : c === undefined ? '' : c))], {
        quoted_match: [/^\s/, /\s$/],
        cast: { boolean: (b) => String(b) },
      });
    const samples = ['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\rlf', ' lead', 'trail\t', '', '#general', 'ünï😀'];
    for (const text of samples) {
      for (const other of [undefined, null, 0, 12.5, true, false, text]) {
        const cells = [text, other, 'x'];
        expect(csvLine(cells)).toBe(reference(cells));
      }
    }
  });

  it('truncates without splitting a surrogate pair', () => {
    expect(truncate('abc', 5)).toBe('abc');
    expect(truncate('ab😀', 3)).toBe('ab');
    expect(truncate('x'.repeat(10), 4)).toHaveLength(4);
  });

  it('builds every column for every row; dates stay ISO strings; over-long text is cut and counted', () => {
    const spec = activitySpec(true);
    const row = {
      tightknitId: 'slack:T:C:1',
      communityId: 'slack:T',
      memberId: 'slack:T:U1',
      targetMemberId: null,
      activityType: 'message_sent' as const,
      sourceType: 'message',
      occurredAt: '2026-01-02T03:04:05.678Z',
      channelId: 'C',
      channelName: null,
      threadId: null,
      permalink: null,
      summary: 's'.repeat(300),
      metadata: 'm'.repeat(200_000),
    };
    const built = buildCells(spec, row, { inOrg: true, now: '2026-01-01T00:00:00.000Z' });
    expect(built.truncated).toBe(true);
    expect(built.cells).toHaveLength(headers(spec).length);
    const byHeader = Object.fromEntries(headers(spec).map((h, i) => [h, built.cells[i]]));
    expect(byHeader.tightknit__Summary__c).toHaveLength(255);
    expect(byHeader.tightknit__Metadata__c).toHaveLength(32_000);
    expect(byHeader.tightknit__Occurred_At__c).toBe('2026-01-02T03:04:05.678Z');
    expect(byHeader.tightknit__Channel_Name__c).toBeNull(); // in the org already: cleared
    expect(byHeader['tightknit__Target_Member__r.tightknit__Tightknit_Id__c']).toBeUndefined();
    expect(headers(activitySpec(false))).not.toContain('tightknit__Metadata__c');
    const fresh = buildCells(spec, { ...row, summary: 'ok', metadata: null }, { inOrg: false, now: '' });
    expect(fresh.truncated).toBe(false);
    expect(fresh.cells[headers(spec).indexOf('tightknit__Channel_Name__c')]).toBeUndefined(); // new record: left empty
  });

  it('turns relationship columns into nested objects for sObject Collections', () => {
    const h = headers(memberSpec);
    const cells = h.map((name) =>
      name === 'tightknit__Community__r.tightknit__Tightknit_Id__c'
        ? 'slack:T'
        : name === 'tightknit__Title__c'
          ? null
          : undefined,
    );
    const rec = toCollectionRecord('tightknit__Member__c', h, cells);
    expect(rec).toEqual({
      attributes: { type: 'tightknit__Member__c' },
      tightknit__Community__r: { tightknit__Tightknit_Id__c: 'slack:T' },
      tightknit__Title__c: null,
    });
  });

  it('spools lines into parts below the byte and row limits, each with the header', () => {
    const parts: SpoolPart[] = [];
    const spool = new CsvSpool(['A', 'B'], { maxBytes: 40, maxRows: 1000 }, (p) => parts.push(p));
    try {
      for (let i = 0; i < 10; i++) spool.add(csvLine([`row${i}`, 'x']));
      spool.finish();
      expect(parts.length).toBeGreaterThan(1);
      expect(parts.reduce((n, p) => n + p.rows, 0)).toBe(10);
      for (const p of parts) {
        const text = readFileSync(p.file, 'utf8');
        expect(Buffer.byteLength(text)).toBe(p.bytes);
        expect(p.bytes).toBeLessThanOrEqual(40);
        expect(parse(text, { columns: true })[0]).toHaveProperty('A');
      }
    } finally {
      spool.dispose();
    }
  });
});

describe('SOQL building', () => {
  it('escapes every special character so a value can never leave its literal', () => {
    expect(soqlString("o'brien@example.com")).toBe("'o\\'brien@example.com'");
    expect(soqlString("x\\' OR Name != '")).toBe("'x\\\\\\' OR Name != \\''");
    expect(soqlString('a\nb')).toBe("'a\\nb'");
  });

  it('chunks IN lists under a URL budget', () => {
    const values = Array.from({ length: 1000 }, (_, i) => `person${i}@example.com`);
    const chunks = chunkForIn(values, 2000);
    expect(chunks.flat()).toEqual(values);
    for (const c of chunks) expect(encodeURIComponent(c.map(soqlString).join(',')).length).toBeLessThan(2000);
  });
});
