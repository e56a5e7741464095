import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the Slack credentials live, apart from the code that reads them: commands that only need to know
 * whether a workspace is connected do not load the Slack client.
 */
const SLACK_CREDENTIALS_FILE = 'slack-credentials.json';

export function slackCredentialsPath(stateDir: string): string {
  return join(stateDir, SLACK_CREDENTIALS_FILE);
}

export function hasSlackCredentials(stateDir: string): boolean {
  return existsSync(slackCredentialsPath(stateDir));
}
