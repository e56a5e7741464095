import { buildGallery, galleryIsStale } from './build';
import { prepareGalleryOrg } from './org';
import { serveGallery } from './serve';
import { startGalleryServer } from './server';
import { takeScreenshots, writeGalleryIndex } from './screenshots';
import { join } from 'node:path';
import { REPO_ROOT } from '../metadata/project';

/**
 * `npm run gallery`: builds the gallery when a source changed, runs the demo into the org emulator,
 * adds the gallery's records and serves a page per component and state. `--screenshots` instead writes
 * every page's picture to docs/components and exits (`--only key,key` for some components); `--port N`
 * picks the port.
 */
async function main(argv: string[]): Promise<void> {
  const portAt = argv.indexOf('--port');
  const port = portAt >= 0 ? Number(argv[portAt + 1]) : 0;
  if (portAt >= 0 && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new Error(`--port needs a port number (1-65535), not "${argv[portAt + 1] ?? ''}".`);
  }
  if (!argv.includes('--screenshots')) return serveGallery({ port });
  if (galleryIsStale()) await buildGallery();
  const org = await prepareGalleryOrg();
  const server = await startGalleryServer({ org, port });
  try {
    const onlyAt = argv.indexOf('--only');
    const only = onlyAt >= 0 ? (argv[onlyAt + 1] ?? '').split(',') : undefined;
    const written = await takeScreenshots({
      baseUrl: server.url,
      only,
      onShot: (f) => process.stdout.write(`  ${f}\n`),
    });
    writeGalleryIndex(join(REPO_ROOT, 'docs', 'components.md'));
    process.stdout.write(`${written.length} screenshots written to docs/components; docs/components.md lists them.\n`);
  } finally {
    await server.close();
    await org.close();
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
