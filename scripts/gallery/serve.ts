import type { RunningEmulator } from '../org-emulator';
import { buildGallery, galleryIsStale } from './build';
import { prepareGalleryOrg } from './org';
import { startGalleryServer } from './server';

export interface ServeGalleryOptions {
  /** An emulator the demo synced into (`demo --gallery`); default: one of its own, with the demo run into it. */
  emulator?: RunningEmulator;
  port?: number;
  onLine?: (line: string) => void;
  /** Resolves when the gallery should stop (default: Ctrl-C). */
  until?: Promise<void>;
}

/** Builds the gallery if a source changed, prepares its data, serves it until asked to stop. */
export async function serveGallery(opts: ServeGalleryOptions = {}): Promise<void> {
  const say = opts.onLine ?? ((line: string) => process.stdout.write(`${line}\n`));
  if (galleryIsStale()) {
    say('Building the components gallery (tsc, then rollup with the LWC compiler; about 30 s)...');
    await buildGallery();
  }
  const org = await prepareGalleryOrg({ emulator: opts.emulator });
  try {
    const server = await startGalleryServer({ org, port: opts.port });
    say(`The components gallery is at ${server.url}/ (Ctrl-C to stop).`);
    await (opts.until ?? new Promise<void>((resolve) => process.once('SIGINT', () => resolve())));
    await server.close();
  } finally {
    await org.close();
  }
}
