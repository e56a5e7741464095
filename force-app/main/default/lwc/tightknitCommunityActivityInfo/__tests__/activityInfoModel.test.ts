import { formatMetadata } from '../activityInfoModel';

describe('formatMetadata', () => {
  it('flattens a JSON object into dotted keys with lists joined', () => {
    expect(formatMetadata('{"emoji":"tada","message":{"ts":"1.2","count":3},"users":["U1","U2"]}')).toEqual({
      kind: 'entries',
      truncated: false,
      entries: [
        { key: 'emoji', value: 'tada' },
        { key: 'message.ts', value: '1.2' },
        { key: 'message.count', value: '3' },
        { key: 'users', value: 'U1, U2' },
      ],
    });
  });

  it('indexes arrays of objects and keeps empty objects visible', () => {
    const view = formatMetadata('{"files":[{"name":"a.png"},{"name":"b.png"}],"extra":{}}');
    expect(view.kind === 'entries' && view.entries.map((entry) => entry.key)).toEqual([
      'files[0].name',
      'files[1].name',
      'extra',
    ]);
  });

  it('returns text for invalid JSON or plain values, and nothing when empty', () => {
    expect(formatMetadata('not json')).toEqual({ kind: 'text', text: 'not json' });
    expect(formatMetadata('42')).toEqual({ kind: 'text', text: '42' });
    expect(formatMetadata('  ')).toEqual({ kind: 'none' });
    expect(formatMetadata(null)).toEqual({ kind: 'none' });
    expect(formatMetadata('{}')).toEqual({ kind: 'none' });
  });

  it('caps the number of entries', () => {
    const big = JSON.stringify(Object.fromEntries(Array.from({ length: 60 }, (_v, i) => [`k${i}`, i])));
    const view = formatMetadata(big, 50);
    expect(view.kind === 'entries' && view.entries.length).toBe(50);
    expect(view.kind === 'entries' && view.truncated).toBe(true);
  });
});
