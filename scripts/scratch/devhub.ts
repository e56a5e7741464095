import { AuthInfo, ConfigAggregator, StateAggregator } from '@salesforce/core';

/** Whether a Dev Hub is authorized on this machine, and which one. */
export type DevHubStatus = { found: true; username: string } | { found: false; reason: string };

/** What to tell a developer who has no Dev Hub. */
export const AUTHORIZE_DEV_HUB =
  'Authorize a Dev Hub first:\n  sf org login web --set-default-dev-hub --alias devhub\n' +
  '(a Dev Hub is a production or Developer Edition org with Dev Hub enabled; packaging also needs the tightknit namespace linked to it).';

/**
 * Finds the Dev Hub: the configured `target-dev-hub` (alias or username) when it is authorized,
 * otherwise any authorized org that is a Dev Hub. Reads only local sf state; makes no network call.
 */
export async function findDevHub(): Promise<DevHubStatus> {
  const config = await ConfigAggregator.create();
  const configured = config.getPropertyValue<string>('target-dev-hub');
  const authorizations = await AuthInfo.listAllAuthorizations();
  if (configured) {
    const username = (await StateAggregator.getInstance()).aliases.resolveUsername(configured);
    const auth = authorizations.find((a) => a.username === username);
    if (!auth) return { found: false, reason: `target-dev-hub is ${configured}, but that org is not authorized here` };
    if (auth.isExpired === true) return { found: false, reason: `the authorization of Dev Hub ${configured} expired` };
    return { found: true, username };
  }
  const hub = authorizations.find((a) => a.isDevHub && a.isExpired !== true);
  return hub
    ? { found: true, username: hub.username }
    : { found: false, reason: 'no Dev Hub is authorized on this machine' };
}

/** True when `aliasOrUsername` names an org authorized on this machine. */
export async function isAuthorized(aliasOrUsername: string): Promise<boolean> {
  const username = (await StateAggregator.getInstance()).aliases.resolveUsername(aliasOrUsername);
  return (await AuthInfo.listAllAuthorizations((a) => a.username === username)).length > 0;
}
