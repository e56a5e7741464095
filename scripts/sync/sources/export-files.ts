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
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, zip) => (err ? reject(err) : resolve(zip)));
  });
}

function readEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.push(entry);
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
  let entries: yauzl.Entry[];
  try {
    zip = await openZip(file);
    entries = await readEntries(zip);
  } catch (err) {
    throw new UsageError('NOT_A_ZIP', `${file} is not a readable zip file: ${(err as Error).message}`, {
      actions: ['Pass the .zip exactly as Slack produced it, or the folder it unpacks to.'],
      cause: err,
    });
  }
  const names = entries.filter((e) => !e.fileName.endsWith('/')).map((e) => e.fileName);
  const root = commonRoot(names);
  const map = new Map<string, yauzl.Entry>();
  for (const e of entries) {
    if (e.fileName.endsWith('/') || !e.fileName.startsWith(root)) continue;
    map.set(e.fileName.slice(root.length), e);
  }
  return new ZipFiles(zip, map, file, basename(file).replace(/\.zip$/i, ''));
}

export function openFolderExport(dir: string): ExportFiles {
  const clean = dir.endsWith(sep) ? dir.slice(0, -1) : dir;
  return new FolderFiles(clean, dir);
}
