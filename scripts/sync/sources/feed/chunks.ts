import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { UsageError } from '../../errors';
import type { FeedPosition } from '../../store';

const CHUNK_BYTES = 64 * 1024;
/** A saved position remembers a hash of the file's first bytes, up to this many. */
const HEAD_BYTES = 4096;
const EMPTY = Buffer.alloc(0);

/**
 * Bytes of a growing input. `next` gives the next chunk, an empty buffer when nothing more has arrived
 * yet, or null when the input has ended (a file never ends: it may grow).
 */
export interface ChunkSource {
  next(): Buffer | null;
  /** Waits up to `ms` for more input; true when some has arrived (false: unknown, or time is up). */
  wait(ms: number, signal?: AbortSignal): Promise<boolean>;
  close(): void;
}

function fixes(path: string): string[] {
  return [
    `If ${path} now holds a new feed, run again with --from-start to read it from its first line (events already imported are recognised and change nothing).`,
    'If it was rotated, ingest the rotated file first (ingest <rotated file>) so that lines written after the saved position are not lost.',
  ];
}

function readHead(fd: number, bytes: number): Buffer {
  const head = Buffer.alloc(bytes);
  const n = readSync(fd, head, 0, bytes, 0);
  return head.subarray(0, n);
}

function hashHead(head: Buffer): string {
  return createHash('sha256').update(head).digest('hex');
}

/** A growing file read from a byte offset, that notices when it is truncated or replaced. */
export class FileChunks implements ChunkSource {
  private fd: number;
  private ino: number;
  private position: number;

  /** Opens `path` to read from `at.offset`, refusing a file that is not the one `at` was saved for. */
  constructor(
    private readonly path: string,
    at: FeedPosition | undefined,
  ) {
    this.fd = openSync(path, 'r');
    this.ino = fstatSync(this.fd).ino;
    this.position = at?.offset ?? 0;
    if (at) this.verify(this.fd, at);
  }

  async wait(ms: number, signal?: AbortSignal): Promise<boolean> {
    await sleep(ms, undefined, { signal }).catch(() => undefined);
    return false;
  }

  next(): Buffer {
    const buf = Buffer.alloc(CHUNK_BYTES);
    const n = readSync(this.fd, buf, 0, CHUNK_BYTES, this.position);
    this.position += n;
    return n === 0 ? EMPTY : buf.subarray(0, n);
  }

  /** The position to save after the lines up to `offset` (hashing at most HEAD_BYTES of the file). */
  positionAt(offset: number, line: number, previous: FeedPosition | undefined): FeedPosition {
    const headBytes = Math.min(offset, HEAD_BYTES);
    const headHash =
      previous && previous.headBytes === headBytes ? previous.headHash : hashHead(readHead(this.fd, headBytes));
    return { offset, line, headBytes, headHash, updatedAt: new Date().toISOString() };
  }

  /**
   * While following, at a pause: a file shorter than what was read was truncated; another file under the
   * path was rotated in or rewritten. A rewrite that keeps the imported lines (same first bytes, at least
   * as long) is followed on from the same position; anything else stops with the reason.
   * Returns true when the file was reopened (the caller restarts at `at.offset`).
   */
  check(at: FeedPosition, receivedOffset: number): boolean {
    if (fstatSync(this.fd).size < receivedOffset) {
      throw new UsageError(
        'FEED_TRUNCATED',
        `${this.path} was truncated while being followed: it is now ${fstatSync(this.fd).size} bytes, and ${receivedOffset} had been read (${at.line} lines imported).`,
        { actions: fixes(this.path) },
      );
    }
    let ino: number;
    try {
      ino = statSync(this.path).ino;
    } catch (err) {
      throw new UsageError(
        'FEED_REPLACED',
        `${this.path} was removed or renamed while being followed (after line ${at.line}).`,
        { actions: [`Start the follow again once ${this.path} exists; it resumes after line ${at.line}.`], cause: err },
      );
    }
    if (ino === this.ino) {
      // Truncated and written again past the position since the last look: the first bytes tell.
      this.verify(this.fd, at);
      return false;
    }
    const fd = openSync(this.path, 'r');
    try {
      this.verify(fd, at);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
    closeSync(this.fd);
    this.fd = fd;
    this.ino = ino;
    this.position = at.offset;
    return true;
  }

  close(): void {
    closeSync(this.fd);
  }

  private verify(fd: number, at: FeedPosition): void {
    const size = fstatSync(fd).size;
    if (size < at.offset) {
      throw new UsageError(
        'FEED_TRUNCATED',
        `${this.path} is ${size} bytes, shorter than the ${at.offset} bytes (${at.line} lines) already imported from it: it was truncated or replaced.`,
        { actions: fixes(this.path) },
      );
    }
    if (hashHead(readHead(fd, at.headBytes)) !== at.headHash) {
      throw new UsageError(
        'FEED_REPLACED',
        `${this.path} no longer begins with the lines imported from it (${at.line} lines, ${at.offset} bytes): another file was put in its place.`,
        { actions: fixes(this.path) },
      );
    }
  }
}

/** A stream such as standard input, read without flowing so that a slow store holds the writer back. */
export class StreamChunks implements ChunkSource {
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly stream: Readable) {
    const wake = (): void => this.wake?.();
    stream.on('readable', wake);
    stream.on('end', () => {
      this.ended = true;
      wake();
    });
    stream.on('error', (err) => {
      this.failure = err;
      wake();
    });
  }

  async wait(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (this.stream.readableLength > 0 || this.ended || this.failure) return true;
    const controller = new AbortController();
    const arrived = new Promise<boolean>((resolve) => {
      this.wake = () => resolve(true);
    });
    const timeUp = sleep(ms, false, {
      signal: signal ? AbortSignal.any([signal, controller.signal]) : controller.signal,
    });
    try {
      return await Promise.race([arrived, timeUp.catch(() => false)]);
    } finally {
      this.wake = undefined;
      controller.abort();
    }
  }

  next(): Buffer | null {
    if (this.failure) throw this.failure;
    const chunk = this.stream.read() as Buffer | string | null;
    if (chunk !== null) return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    return this.ended || this.stream.readableEnded ? null : EMPTY;
  }

  close(): void {}
}
