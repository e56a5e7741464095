/**
 * @salesforce/core, loaded only when a connection goes through the sf CLI's org store (`--target-org`).
 * It is the heaviest dependency of the sync (about 35 MB of resident memory once loaded), and every
 * other way of connecting needs nothing from it, so `sync` and `start` do not pay for it up front.
 */
export function loadSfCore(): Promise<typeof import('@salesforce/core')> {
  return import('@salesforce/core');
}
