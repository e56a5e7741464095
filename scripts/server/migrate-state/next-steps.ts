import type { StateDirContents } from './state-dir';

/** What the operator does after a migration, in order. */
export function nextSteps(tenant: string, stateDir: string, state: StateDirContents): string[] {
  const creds = state.credentials;
  const steps: string[] = [];
  if (!creds) {
    steps.push(`Connect the tenant's org: tightknit-sync connect --tenant ${tenant}`);
  } else if (creds.method === 'sf-org' || creds.method === 'jwt') {
    steps.push(
      `The org was connected ${creds.method === 'sf-org' ? `through the sf CLI's org '${creds.targetOrg ?? ''}'` : `with the JWT key file ${creds.jwtKeyFile ?? ''}`} on this machine, which workers elsewhere cannot use: connect again with tightknit-sync connect --tenant ${tenant}`,
    );
  }
  steps.push(`Check the connection from server mode: tightknit-sync check --tenant ${tenant}`);
  if (state.paused) {
    steps.push(
      `The state directory's schedule was paused: resume it with tightknit-sync resume --tenant ${tenant} when ready.`,
    );
  }
  steps.push(`Start the tenant's schedule (the workers run it): tightknit-sync start --tenant ${tenant}`);
  steps.push(
    `Do not run \`start\` on ${stateDir} any more: both would push to the same org. It was only read; keep it until the tenant's first runs succeed, then archive it.`,
  );
  return steps;
}
