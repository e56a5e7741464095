import { Reply } from '../http/io';

/** Versions this emulator answers: 31.0 up to the project's API version. */
export function supportedVersions(latest: string): string[] {
  const out: string[] = [];
  for (let v = 31; v <= Number(latest); v++) out.push(`${v}.0`);
  return out;
}

/**
 * The release that introduced an API version, as `GET /services/data` labels it: three releases a year
 * (Winter, Spring, Summer), one version each; 32.0 was Winter '15, 62.0 Winter '25.
 */
function releaseLabel(version: string): string {
  const n = Math.floor(Number(version)) - 32;
  const season = ['Winter', 'Spring', 'Summer'][((n % 3) + 3) % 3];
  return `${season} '${15 + Math.floor(n / 3)}`;
}

/** GET /services/data: `[{label, url, version}]` (REST API "Versions"). */
export function versionsRoute(latest: string): Reply {
  return {
    status: 200,
    body: supportedVersions(latest).map((version) => ({
      label: releaseLabel(version),
      url: `/services/data/v${version}`,
      version,
    })),
  };
}

/**
 * GET /services/data/vXX.X: the resources of a version (REST API "Resources by Version"), the ones
 * this emulator serves, plus `identity`: the caller's identity URL (absolute, on the login host), which
 * clients such as jsforce's `identity()` read to learn the org and user ids.
 */
export function resourcesRoute(version: string, identity: string): Reply {
  const base = `/services/data/v${version}`;
  const names = ['sobjects', 'query', 'queryAll', 'limits', 'composite', 'tooling', 'jobs'];
  return { status: 200, body: { ...Object.fromEntries(names.map((n) => [n, `${base}/${n}`])), identity } };
}
