import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { UsageError } from '../../errors';
import type { AsyncStore } from '../../store';
import { entryName, openZipExport } from '../export-files';
import { FIXTURE_EXPORT, cleanup, newStore, run, tempDir, writeZip } from './helpers';

/** Folder renames applied to the fixture export: channel "general" → "café-ñ", "help" → "日本語". */
const RENAMES: Record<string, string> = { general: 'café-ñ', help: '日本語' };

/**
 * The fixture export as Info-ZIP writes it under a C locale: the names' bytes are UTF-8 but general
 * purpose bit 11 is not set. channels.json names the renamed folders.
 */
function infoZipExport(file: string, extra: Array<{ name: Buffer; data: Buffer }> = []): void {
  const entries: Array<{ name: Buffer; data: Buffer }> = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(FIXTURE_EXPORT, rel))) {
      const path = rel ? `${rel}/${entry}` : entry;
      if (statSync(join(FIXTURE_EXPORT, path)).isDirectory()) {
        walk(path);
        continue;
      }
      let data = readFileSync(join(FIXTURE_EXPORT, path));
      if (path === 'channels.json') {
        const channels = JSON.parse(data.toString('utf8')) as Array<{ name: string }>;
        for (const c of channels) c.name = RENAMES[c.name] ?? c.name;
        data = Buffer.from(JSON.stringify(channels), 'utf8');
      }
      const [top, ...rest] = path.split('/');
      const renamed = rest.length ? [RENAMES[top] ?? top, ...rest].join('/') : path;
      entries.push({ name: Buffer.from(renamed, 'utf8'), data });
    }
  };
  walk('');
  writeZip(file, [...entries, ...extra], { utf8Flag: false });
}

describe('zip entry names', () => {
  let dir: string;
  let store: AsyncStore;

  beforeEach(() => {
    dir = tempDir();
    store = newStore(dir);
  });
  afterEach(async () => {
    await store.close();
    cleanup(dir);
  });

  it('imports the messages of non-ASCII channel folders named in UTF-8 without the UTF-8 flag', async () => {
    const zip = join(dir, 'info-zip.zip');
    infoZipExport(zip);
    const files = await openZipExport(zip);
    try {
      expect(files.list()).toEqual(expect.arrayContaining(['café-ñ/2026-01-10.json', '日本語/2026-01-12.json']));
    } finally {
      files.close();
    }

    const summary = await run(store, zip);
    // Only the fixture's deliberately unlisted folder is left out; the renamed channels are read.
    expect(summary.skipped.map((s) => s.file)).toEqual(['unlisted-folder/']);
    const channels = new Set((await store.changedActivities(0, 1000)).map((a) => a.row.channelName));
    expect(channels).toEqual(new Set(['café-ñ', '日本語']));

    // The same export as a folder with ASCII names yields as many activities.
    const other = newStore(join(dir, 'other'));
    try {
      const fromFolder = await run(other, FIXTURE_EXPORT);
      expect(summary.activities.new).toBe(fromFolder.activities.new);
      expect(summary.activities.new).toBeGreaterThan(0);
    } finally {
      await other.close();
    }
  });

  it('still reads a true CP437 name (bytes that are not UTF-8) as CP437', async () => {
    const zip = join(dir, 'cp437.zip');
    // "caf\x82" is "café" in CP437; 0x82 alone is not valid UTF-8. 0x8e 0x99 are "ÄÖ".
    const cp437Name = Buffer.concat([Buffer.from('caf'), Buffer.from([0x82]), Buffer.from('/2026-01-10.json')]);
    const upper = Buffer.concat([Buffer.from([0x8e, 0x99]), Buffer.from('/2026-01-11.json')]);
    infoZipExport(zip, [
      { name: cp437Name, data: Buffer.from('[]') },
      { name: upper, data: Buffer.from('[]') },
    ]);
    const files = await openZipExport(zip);
    try {
      expect(files.list()).toEqual(expect.arrayContaining(['café/2026-01-10.json', 'ÄÖ/2026-01-11.json']));
    } finally {
      files.close();
    }
    const summary = await run(store, zip);
    expect(summary.skipped.map((s) => s.file)).toEqual(['café/', 'unlisted-folder/', 'ÄÖ/']);
  });

  it('keeps names flagged UTF-8 and prefers a matching Info-ZIP Unicode Path field', () => {
    const utf8 = Buffer.from('日本語/2026-01-12.json', 'utf8');
    expect(entryName({ generalPurposeBitFlag: 0x800, fileNameRaw: utf8, extraFields: [] })).toBe(
      '日本語/2026-01-12.json',
    );

    const raw = Buffer.from('caf?/x.json', 'latin1');
    const unicodePath = (crc: number): { id: number; data: Buffer } => {
      const data = Buffer.alloc(5);
      data.writeUInt8(1, 0);
      data.writeUInt32LE(crc, 1);
      return { id: 0x7075, data: Buffer.concat([data, Buffer.from('café/x.json', 'utf8')]) };
    };
    expect(entryName({ generalPurposeBitFlag: 0, fileNameRaw: raw, extraFields: [unicodePath(crc32(raw))] })).toBe(
      'café/x.json',
    );
    // A stale field (its checksum is of another name) is ignored, as the format requires.
    expect(entryName({ generalPurposeBitFlag: 0, fileNameRaw: raw, extraFields: [unicodePath(1)] })).toBe(
      'caf?/x.json',
    );
  });

  it('refuses a zip with a name that climbs out of the export', async () => {
    const zip = join(dir, 'evil.zip');
    writeZip(zip, [{ name: Buffer.from('../é.json', 'utf8'), data: Buffer.from('[]') }], { utf8Flag: false });
    const error = await openZipExport(zip).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('NOT_A_ZIP');
    expect((error as UsageError).message).toContain('invalid relative path: ../é.json');
  });
});
