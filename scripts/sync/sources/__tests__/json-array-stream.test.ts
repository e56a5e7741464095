import { Readable } from 'node:stream';
import { JsonArrayError, streamJsonArray } from '../json-array-stream';

/** A stream that hands over `text` in chunks of `size` bytes (splitting multi-byte characters). */
function chunked(text: string, size: number): Readable {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
}

async function collect(text: string, size: number): Promise<unknown[]> {
  const out: unknown[] = [];
  await streamJsonArray(chunked(text, size), (v) => {
    out.push(v);
  });
  return out;
}

describe('streamJsonArray', () => {
  const users = [
    { id: 'U1', profile: { real_name: 'Zoë "Z" Øster', title: 'a } tricky ] title { [ with \\ and "quotes"' } },
    { id: 'U2', profile: { real_name: '山田 太郎 🎉', fields: [[1, 2], { nested: [] }] } },
    { id: 'U3', tags: [] },
  ];
  const text = ` \n${JSON.stringify(users, null, 4)}\n`;

  it.each([1, 2, 3, 7, 64, 100_000])('reads every element whatever the chunk size (%i bytes)', async (size) => {
    expect(await collect(text, size)).toEqual(users);
  });

  it('reads an empty array and a byte order mark', async () => {
    expect(await collect('\uFEFF[ ]', 1)).toEqual([]);
  });

  it.each([
    ['{"not": "an array"}', 'not a JSON array'],
    ['', 'empty'],
    ['[{"id": "U1"}, {"id": ', 'ends inside element 2'],
    ['[{"id": "U1"}, {"id": oops}]', 'element 2 is not valid JSON'],
    ['[{"id": "U1"} {"id": "U2"}]', 'expected an object at element 2'],
    ['[{"id": "U1"}, 42]', 'expected an object at element 2'],
    ['[{"id": "U1"}] trailing', 'after the closing'],
  ])('rejects %j', async (input, message) => {
    const error = await collect(input, 5).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsonArrayError);
    expect((error as Error).message).toContain(message);
  });
});
