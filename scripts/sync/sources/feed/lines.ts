import { UsageError } from '../../errors';

/** One complete line of a feed: its number, its text and the byte offset just past its newline. */
export interface FeedLine {
  line: number;
  text: string;
  end: number;
}

/** A line longer than this is not an event but a file without newlines; holding it would grow without end. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

const NEWLINE = 0x0a;

/**
 * Cuts bytes as they arrive into complete lines, counting byte offsets so that a follower can save
 * "read up to here". A last line without its newline is held back until the newline arrives (or the
 * input ends), so a line being written is never read half.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** `offset`: where the next byte sits in the input; `line`: complete lines before it. */
  constructor(
    private offset: number,
    private line: number,
    private readonly label: string,
  ) {}

  /** Offset just past the last complete line. */
  get committedOffset(): number {
    return this.offset;
  }

  /** Bytes received so far, the held-back partial line included. */
  get receivedOffset(): number {
    return this.offset + this.pendingBytes;
  }

  push(chunk: Buffer): FeedLine[] {
    const lines: FeedLine[] = [];
    let from = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, from)) {
      lines.push(this.take(chunk.subarray(from, nl), nl - from + 1));
      from = nl + 1;
    }
    if (from < chunk.length) {
      this.pending.push(chunk.subarray(from));
      this.pendingBytes += chunk.length - from;
      if (this.pendingBytes > MAX_LINE_BYTES) {
        throw new UsageError(
          'FEED_LINE_TOO_LONG',
          `${this.label}: line ${this.line + 1} is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB without a newline.`,
          { actions: ['Write one JSON object per line, each ended by a newline (NDJSON).'] },
        );
      }
    }
    return lines;
  }

  /** At the end of the input, a last line without a newline is complete after all. */
  end(): FeedLine | undefined {
    if (this.pendingBytes === 0) return undefined;
    return this.take(Buffer.alloc(0), 0);
  }

  /** Drops a held-back partial line and starts again at `offset` (the file was reopened there). */
  reset(offset: number, line: number): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.offset = offset;
    this.line = line;
  }

  private take(tail: Buffer, tailBytes: number): FeedLine {
    const bytes = this.pending.length ? Buffer.concat([...this.pending, tail]) : tail;
    const start = this.offset;
    this.offset += this.pendingBytes + tailBytes;
    this.pending = [];
    this.pendingBytes = 0;
    this.line += 1;
    let text = bytes.toString('utf8');
    if (start === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return { line: this.line, text, end: this.offset };
  }
}
