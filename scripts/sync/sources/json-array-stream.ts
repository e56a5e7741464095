import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';

/** Thrown for a file that is not a JSON array of objects; `element` is the 0-based element it broke in. */
export class JsonArrayError extends Error {
  constructor(
    message: string,
    readonly element: number,
  ) {
    super(message);
  }
}

const OPEN_OBJ = 123; // {
const CLOSE_OBJ = 125; // }
const OPEN_ARR = 91; // [
const CLOSE_ARR = 93; // ]
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff;
}

/**
 * Streams a top-level JSON array of objects (users.json can hold tens of thousands of users and
 * hundreds of megabytes), handing each element to `onElement` already parsed. Memory stays at about
 * one element plus one chunk. Only the array's structure is scanned here; each element goes through
 * JSON.parse, which does the real validation.
 */
export async function streamJsonArray(
  stream: Readable,
  onElement: (value: unknown, index: number) => void | Promise<void>,
  onChunk?: (chunk: Buffer) => void,
): Promise<number> {
  const decoder = new StringDecoder('utf8');
  let buf = '';
  let pos = 0;
  let phase: 'before' | 'items' | 'after' = 'before';
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  let index = 0;
  let expectValue = true;

  function* scan(): Generator<[unknown, number]> {
    for (; pos < buf.length; pos++) {
      const c = buf.charCodeAt(pos);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
        continue;
      }
      if (phase === 'before') {
        if (isSpace(c)) continue;
        if (c !== OPEN_ARR) throw new JsonArrayError('the file is not a JSON array', 0);
        phase = 'items';
        continue;
      }
      if (phase === 'after') {
        if (!isSpace(c)) throw new JsonArrayError('unexpected text after the closing ]', index);
        continue;
      }
      if (depth === 0) {
        if (isSpace(c)) continue;
        if (c === COMMA && !expectValue) {
          expectValue = true;
          continue;
        }
        if (c === CLOSE_ARR && (!expectValue || index === 0)) {
          phase = 'after';
          continue;
        }
        if (c === OPEN_OBJ && expectValue) {
          start = pos;
          depth = 1;
          continue;
        }
        throw new JsonArrayError(`expected an object at element ${index + 1}`, index);
      }
      if (c === QUOTE) inString = true;
      else if (c === OPEN_OBJ || c === OPEN_ARR) depth += 1;
      else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        depth -= 1;
        if (depth === 0) {
          const text = buf.slice(start, pos + 1);
          start = -1;
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch (err) {
            throw new JsonArrayError(`element ${index + 1} is not valid JSON: ${(err as Error).message}`, index);
          }
          yield [value, index];
          index += 1;
          expectValue = false;
        }
      }
    }
    if (start >= 0) {
      buf = buf.slice(start);
      pos -= start;
      start = 0;
    } else {
      buf = '';
      pos = 0;
    }
  }

  for await (const chunk of stream) {
    onChunk?.(chunk as Buffer);
    buf += decoder.write(chunk as Buffer);
    // Each element is handed on as soon as it is scanned; a handler's writes end before the scan goes on.
    for (const [value, i] of scan()) await onElement(value, i);
  }
  buf += decoder.end();
  for (const [value, i] of scan()) await onElement(value, i);
  const finalPhase = phase as string;
  if (finalPhase !== 'after') {
    throw new JsonArrayError(
      finalPhase === 'before' ? 'the file is empty' : `the file ends inside element ${index + 1}`,
      index,
    );
  }
  return index;
}
