import { createReadStream, promises as fsp, readdirSync, statSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import type { Readable } from 'node:stream';
import * as yauzl from 'yauzl';
import { UsageError } from '../errors';

/**
 * Read access to an export's files, whether it is a folder or a .zip read in place (never unpacked to
 * disk). Paths are relative with '/' separators; a zip whose files sit under one top folder is read as
 * if that folder were the root.
 */
export interface ExportFiles {
  /** The path the user gave, for messages. */
  readonly label: string;
  /** Folder or zip name without extension, the default workspace name. */
  readonly name: string;
  list(): string[];
  has(path: string): boolean;
  size(path: string): number;
  stream(path: string): Promise<Readable>;
  /** The file as UTF-8 text, without a byte order mark. */
  readText(path: string): Promise<string>;
  close(): void;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

async function collect(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return stripBom(Buffer.concat(chunks).toString('utf8'));
}

class FolderFiles implements ExportFiles {
  private readonly files = new Map<string, number>();

  constructor(
    private readonly root: string,
    readonly label: string,
  ) {
    this.walk('', 0);
  }

  get name(): string {
    return basename(this.root);
  }

  private walk(rel: string, depth: number): void {
    for (const entry of readdirSync(join(this.root, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory() && depth < 2) this.walk(path, depth + 1);
      else if (entry.isFile()) this.files.set(path, statSync(join(this.root, path)).size);
    }
  }

  list(): string[] {
    return [...this.files.keys()];
  }

  has(path: string): boolean {
    return this.files.has(path);
  }

  size(path: string): number {
    return this.files.get(path) ?? 0;
  }

  async stream(path: string): Promise<Readable> {
    return createReadStream(join(this.root, ...path.split('/')));
  }

  async readText(path: string): Promise<string> {
    return stripBom(await fsp.readFile(join(this.root, ...path.split('/')), 'utf8'));
  }

  close(): void {}
}

class ZipFiles implements ExportFiles {
  constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
    readonly label: string,
    readonly name: string,
  ) {}

  list(): string[] {
    return [...this.entries.keys()];
  }

  has(path: string): boolean {
    return this.entries.has(path);
  }

  size(path: string): number {
    return this.entries.get(path)?.uncompressedSize ?? 0;
  }

  stream(path: string): Promise<Readable> {
    const entry = this.entries.get(path);
    if (!entry) return Promise.reject(new Error(`${path} is not in ${this.label}`));
    return new Promise((resolve, reject) => {
      this.zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream)));
    });
  }

  async readText(path: string): Promise<string> {
    return collect(await this.stream(path));
  }

  close(): void {
    this.zip.close();
  }
}

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    // Names are decoded by entryName below, not by yauzl (which reads every name without bit 11 as CP437).
    const options = { lazyEntries: true, autoClose: false, decodeStrings: false };
    yauzl.open(file, options, (err, zip) => (err ? reject(err) : resolve(zip)));
  });
}

const UTF8_FLAG = 0x800;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * An entry's name. The zip format says a name without the UTF-8 flag (general purpose bit 11) is CP437,
 * but Info-ZIP under a C locale and many Windows tools write UTF-8 bytes without setting the flag, so a
 * channel folder named "café" would read as "cafÃ©" and no longer match channels.json. Such a name is
 * read as UTF-8 when its bytes are valid UTF-8 (CP437 text outside ASCII almost never is), else as CP437.
 * An Info-ZIP Unicode Path extra field whose checksum matches the name still wins, as yauzl reads it.
 */
export function entryName(entry: Pick<yauzl.Entry, 'generalPurposeBitFlag' | 'fileNameRaw' | 'extraFields'>): string {
  const { generalPurposeBitFlag: flags, fileNameRaw: raw, extraFields } = entry;
  const declared = yauzl.getFileNameLowLevel(flags, raw, extraFields, false);
  let name = declared;
  if (!(flags & UTF8_FLAG) && declared === yauzl.getFileNameLowLevel(flags, raw, [], false)) {
    try {
      name = strictUtf8.decode(raw).replace(/\\/g, '/');
    } catch {
      // Not UTF-8: the CP437 reading stands.
    }
  }
  const problem = yauzl.validateFileName(name);
  if (problem) throw new Error(problem);
  return name;
}

interface NamedEntry {
  name: string;
  entry: yauzl.Entry;
}

function readEntries(zip: yauzl.ZipFile): Promise<NamedEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: NamedEntry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      try {
        entries.push({ name: entryName(entry), entry });
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/** The single top folder every file of the zip sits under, if any ("" otherwise). */
function commonRoot(names: string[]): string {
  if (names.some((n) => n === 'users.json' || n === 'org_users.json' || n === 'channels.json')) return '';
  const hit = names.find((n) => /^[^/]+\/(users|org_users|channels)\.json$/.test(n));
  return hit ? hit.slice(0, hit.indexOf('/') + 1) : '';
}

export async function openZipExport(file: string): Promise<ExportFiles> {
  let zip: yauzl.ZipFile;
  let entries: NamedEntry[];
  try {
    zip = await openZip(file);
    entries = await readEntries(zip).catch((err: unknown) => {
      zip.close();
      throw err;
    });
  } catch (err) {
    throw new UsageError('NOT_A_ZIP', `${file} is not a readable zip file: ${(err as Error).message}`, {
      actions: ['Pass the .zip exactly as Slack produced it, or the folder it unpacks to.'],
      cause: err,
    });
  }
  const names = entries.filter((e) => !e.name.endsWith('/')).map((e) => e.name);
  const root = commonRoot(names);
  const map = new Map<string, yauzl.Entry>();
  for (const { name, entry } of entries) {
    if (name.endsWith('/') || !name.startsWith(root)) continue;
    map.set(name.slice(root.length), entry);
  }
  return new ZipFiles(zip, map, file, basename(file).replace(/\.zip$/i, ''));
}

export function openFolderExport(dir: string): ExportFiles {
  const clean = dir.endsWith(sep) ? dir.slice(0, -1) : dir;
  return new FolderFiles(clean, dir);
}
