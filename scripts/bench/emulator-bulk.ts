/**
 * Benchmark: one Bulk API 2.0 upsert job of N rows (default 1,000,000) against the in-process org
 * emulator. The CSV is generated and uploaded as a stream; the process's peak resident memory is
 * sampled every 50 ms (it includes the client side, so it bounds the emulator's own use from above).
 *
 *   npx tsx scripts/bench/emulator-bulk.ts [rows]
 */
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { startEmulator } from '../org-emulator/index';

const rows = Number(process.argv[2] ?? 1_000_000);
const v = '/services/data/v65.0';

function* csvChunks(n: number): Generator<string> {
  yield 'tightknit__Tightknit_Id__c,Name,tightknit__Community__r.tightknit__Tightknit_Id__c,tightknit__Status__c,tightknit__Email__c,tightknit__Engagement_Score__c,tightknit__Joined_At__c\n';
  let buf = '';
  for (let i = 0; i < n; i++) {
    buf += `slack:T0001:U${String(i).padStart(8, '0')},Member ${i},slack:T0001,Active,m${i}@example.com,${(i % 1000) / 10},2024-05-01T12:00:00.000Z\n`;
    if (buf.length > 64 * 1024) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

async function api(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(base + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function upload(base: string, token: string, path: string, data: Readable): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    data.on('data', (c: Buffer | string) => (bytes += Buffer.byteLength(c)));
    const req = request(
      base + path,
      { method: 'PUT', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/csv' } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 201 ? resolve(bytes) : reject(new Error(`upload: ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    data.pipe(req);
  });
}

async function main(): Promise<void> {
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const emu = await startEmulator();
  try {
    emu.org.insert('tightknit__Community__c', [{ Name: 'Bench', tightknit__Tightknit_Id__c: 'slack:T0001' }]);
    const token = emu.issueTokens('integration').accessToken;
    const base = emu.instanceUrl;
    const t0 = Date.now();
    const job = await api(base, token, 'POST', `${v}/jobs/ingest`, {
      object: 'tightknit__Member__c',
      operation: 'upsert',
      externalIdFieldName: 'tightknit__Tightknit_Id__c',
    });
    const id = String(job.id);
    const bytes = await upload(base, token, `${v}/jobs/ingest/${id}/batches`, Readable.from(csvChunks(rows)));
    const tUpload = Date.now();
    const cpu = process.cpuUsage();
    await api(base, token, 'PATCH', `${v}/jobs/ingest/${id}`, { state: 'UploadComplete' });
    let info: Record<string, unknown> = {};
    let maxPollMs = 0;
    for (;;) {
      const p0 = Date.now();
      info = await api(base, token, 'GET', `${v}/jobs/ingest/${id}`);
      maxPollMs = Math.max(maxPollMs, Date.now() - p0);
      if (['JobComplete', 'Failed', 'Aborted'].includes(String(info.state))) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const tDone = Date.now();
    const used = process.cpuUsage(cpu);
    const res = await fetch(`${base}${v}/jobs/ingest/${id}/successfulResults`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    let resultBytes = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) resultBytes += chunk.length;
    const tResults = Date.now();
    clearInterval(sampler);
    const out = {
      rows,
      uploadMB: +(bytes / 1048576).toFixed(1),
      state: info.state,
      processed: info.numberRecordsProcessed,
      failed: info.numberRecordsFailed,
      uploadSeconds: (tUpload - t0) / 1000,
      processSeconds: (tDone - tUpload) / 1000,
      // CPU of this process while the job was processed (the client only polls meanwhile): the rest of
      // processSeconds is the emulator waiting, for its disk or its event loop.
      processCpuSeconds: +((used.user + used.system) / 1e6).toFixed(2),
      totalSecondsToJobComplete: (tDone - t0) / 1000,
      resultsDownloadSeconds: (tResults - tDone) / 1000,
      successResultsMB: +(resultBytes / 1048576).toFixed(1),
      maxJobInfoLatencyMs: maxPollMs,
      peakRssMB: Math.round(peakRss / 1048576),
      node: process.version,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } finally {
    clearInterval(sampler);
    await emu.close();
  }
}

void main();
