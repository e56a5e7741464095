import { serveApp } from './app';
import { fixtureWorkspace } from './fixture';
import { SlackApp, SlackAppOptions, SlackEmulator, SlackEmulatorOptions } from './types';

export * from './types';
export { generateWorkspace } from './generator';
export { workspaceFromExport } from './from-export';
/**
 * Starts the local Slack emulator: the Web API methods the Slack source calls, Socket Mode, and
 * signed Events API deliveries of the changes a test makes. A test double, not Slack: see
 * docs/slack-emulator.md for what it models.
 */
export async function startSlackEmulator(opts: SlackEmulatorOptions = {}): Promise<SlackEmulator> {
  const { workspace, botToken, ...shared } = opts;
  const fixture = workspace ?? fixtureWorkspace();
  const served = await serveApp(
    [{ fixture, botToken: botToken ?? 'xoxb-emulator-bot-token' }],
    fixture.bot.appId,
    shared,
  );
  return { ...served.app, ...served.workspaces[0] };
}

/**
 * Starts one Slack app installed in several workspaces (Slack's one-app-many-workspaces model): one
 * API host, one app-level token, one signing secret and one events URL for all; each workspace its own
 * team id, bot token (`xoxb-emulator-<team id>`), state and rate limits. Events say which workspace
 * they come from in `team_id`, and carry the app's id in `api_app_id`.
 */
export async function startSlackApp(opts: SlackAppOptions): Promise<SlackApp> {
  const { workspaces, appId = 'A0EMUAPP01', ...shared } = opts;
  if (workspaces.length === 0) throw new Error('startSlackApp needs at least one workspace.');
  const installs = workspaces.map((w) => ({
    fixture: { ...w, bot: { ...w.bot, appId } },
    botToken: `xoxb-emulator-${w.team.id}`,
  }));
  const served = await serveApp(installs, appId, shared);
  const byTeam = new Map(served.workspaces.map((w) => [w.teamId, w]));
  return { ...served.app, workspaces: served.workspaces, workspace: (teamId) => byTeam.get(teamId) };
}
