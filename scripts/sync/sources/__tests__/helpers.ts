import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ENGAGEMENT } from '../../engagement';
import { ingest, type IngestOptions, type IngestSummary } from '../../ingest';
import { openAsyncStore, type AsyncStore } from '../../store';

export const FIXTURE_EXPORT = join(__dirname, 'fixtures', 'slack-export');
export const NOW = new Date('2026-01-20T12:00:00Z');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'tk-ingest-'));
}

/** A writable copy of the fixture export. */
export function copyFixture(dir: string): string {
  const target = join(dir, 'acme-export');
  cpSync(FIXTURE_EXPORT, target, { recursive: true });
  return target;
}

export function newStore(dir: string): AsyncStore {
  return openAsyncStore({ stateDir: join(dir, 'state') });
}

export function run(store: AsyncStore, path: string, extra: Partial<IngestOptions> = {}): Promise<IngestSummary> {
  return ingest({ path, store, config: { engagement: DEFAULT_ENGAGEMENT }, now: NOW, ...extra });
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

let crcTable: Uint32Array | undefined;
function crc32(buf: Buffer): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of buf) crc = crcTable[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A minimal zip writer (stored entries, no compression): enough to hand the ingest a real .zip. A name
 * given as bytes is written as is; `utf8Flag: false` leaves general purpose bit 11 unset, as Info-ZIP
 * under a C locale does.
 */
export function writeZip(
  file: string,
  entries: Array<{ name: string | Buffer; data: Buffer }>,
  opts: { utf8Flag?: boolean } = {},
): void {
  const flags = opts.utf8Flag === false ? 0 : 0x0800;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : e.name;
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(0, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, e.data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(file, Buffer.concat([...locals, ...centrals, end]));
}

/** Every file under `dir` as zip entries, optionally under a top folder. */
export function zipFolder(dir: string, file: string, prefix = ''): void {
  const entries: Array<{ name: string; data: Buffer }> = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel))) {
      const path = rel ? `${rel}/${name}` : name;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else entries.push({ name: prefix + path, data: readFileSync(join(dir, path)) });
    }
  };
  walk('');
  writeZip(file, entries);
}
