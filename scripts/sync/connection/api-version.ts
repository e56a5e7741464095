import { PACKAGE_FACTS } from '../../generated/package-facts';

/** The API version the sync speaks: the package's sourceApiVersion, generated at build time. */
export function apiVersion(): string {
  return PACKAGE_FACTS.apiVersion;
}
