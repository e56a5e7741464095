import { RunningEmulator } from '../../index';
import { call, waitForJob } from './emulator';

const v = '/services/data/v65.0';

/** Result of {@link runIngest}: the final job info and the three result files as text. */
export interface IngestRun {
  id: string;
  info: Record<string, unknown>;
  success: string;
  failed: string;
  unprocessed: string;
}

/** Runs one ingest job over raw HTTP: create, upload, close, wait, read all three results. */
export async function runIngest(
  emu: RunningEmulator,
  token: string,
  job: Record<string, unknown>,
  csv: string,
): Promise<IngestRun> {
  const created = await call(emu, token, 'POST', `${v}/jobs/ingest`, job);
  if (created.status !== 200) throw new Error(`create failed: ${created.text}`);
  const id = created.body.id as string;
  const upload = await call(emu, token, 'PUT', `${v}/jobs/ingest/${id}/batches`, csv);
  if (upload.status !== 201) throw new Error(`upload failed: ${upload.text}`);
  const closed = await call(emu, token, 'PATCH', `${v}/jobs/ingest/${id}`, { state: 'UploadComplete' });
  if (closed.body.state !== 'UploadComplete') throw new Error(`close failed: ${closed.text}`);
  const info = await waitForJob(emu, token, id);
  const get = async (kind: string): Promise<string> =>
    (await call(emu, token, 'GET', `${v}/jobs/ingest/${id}/${kind}`)).text;
  return {
    id,
    info,
    success: await get('successfulResults'),
    failed: await get('failedResults'),
    unprocessed: await get('unprocessedrecords'),
  };
}

/** Data lines of a result CSV (header dropped). */
export function lines(csv: string): string[] {
  return csv.split(/\r?\n/).filter(Boolean).slice(1);
}
