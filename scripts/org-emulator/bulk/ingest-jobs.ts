import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeId } from '../ids';
import { IngestJob } from './ingest-job';

/** The org's ingest jobs, with a working folder for their data and result files. */
export class IngestJobs {
  private readonly jobs = new Map<string, IngestJob>();
  private seq: number;
  /** Processing runs, so close() can wait for them. */
  readonly running = new Set<Promise<void>>();

  constructor(
    readonly dir: string,
    readonly maxUploadBytes: number,
    /** Where this org's job ids start (see `idBase` in org.ts). */
    firstSeq = 0,
  ) {
    this.seq = firstSeq;
  }

  nextId(): string {
    return makeId('750', ++this.seq);
  }

  filesFor(id: string): IngestJob['resultFiles'] {
    return {
      success: join(this.dir, `${id}-success.csv`),
      failed: join(this.dir, `${id}-failed.csv`),
      unprocessed: join(this.dir, `${id}-unprocessed.csv`),
    };
  }

  add(job: IngestJob): void {
    this.jobs.set(job.id, job);
  }

  get(id: string): IngestJob | undefined {
    return this.jobs.get(id);
  }

  all(): IngestJob[] {
    return [...this.jobs.values()];
  }

  /** Forgets a job and deletes its files. */
  delete(id: string): void {
    const job = this.jobs.get(id);
    if (!job) return;
    this.jobs.delete(id);
    for (const f of [job.dataFile, ...Object.values(job.resultFiles)]) if (f) rmSync(f, { force: true });
  }

  /** Tracks a processing run. */
  track(p: Promise<void>): void {
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }
}
