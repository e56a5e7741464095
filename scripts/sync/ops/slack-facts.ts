/**
 * What a front end names about the Slack connection without loading the Slack clients: the environment
 * variables the secrets are read from, and the bot token scopes the source needs.
 */

/** The environment variables `connect-slack` (and the console's form, by name) read the secrets from. */
export const SLACK_ENV = {
  botToken: 'TIGHTKNIT_SLACK_BOT_TOKEN',
  signingSecret: 'TIGHTKNIT_SLACK_SIGNING_SECRET',
  appToken: 'TIGHTKNIT_SLACK_APP_TOKEN',
} as const;

/** Bot token scopes the Slack source needs, and why (shown when one is missing). */
export const REQUIRED_SLACK_SCOPES: ReadonlyArray<{ scope: string; why: string }> = [
  { scope: 'channels:read', why: 'list public channels and their members' },
  {
    scope: 'channels:history',
    why: 'read messages and threads in public channels (and receive message.channels events)',
  },
  { scope: 'users:read', why: 'read the members of the workspace' },
  { scope: 'users:read.email', why: "read members' email addresses, which match them to Contacts" },
  { scope: 'reactions:read', why: 'read reactions (and receive reaction_added / reaction_removed events)' },
  { scope: 'team:read', why: "read the workspace's name, domain and icon" },
];
