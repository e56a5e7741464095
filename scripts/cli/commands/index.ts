import type { Command } from 'commander';
import * as check from './check';
import * as configure from './configure';
import * as connect from './connect';
import * as connectSlack from './connect-slack';
import * as consoleCommand from './console';
import * as demo from './demo';
import * as disconnect from './disconnect';
import * as disconnectSlack from './disconnect-slack';
import * as emulator from './emulator';
import * as history from './history';
import * as ingest from './ingest';
import * as investigate from './investigate';
import * as listen from './listen';
import * as pause from './pause';
import * as rematch from './rematch';
import * as resume from './resume';
import * as retry from './retry';
import * as rotateKey from './rotate-key';
import * as start from './start';
import * as sync from './sync';
import * as tenants from './tenants';
import * as verify from './verify';

/** Every command module exports `register(program)`; listed in the order of design.md's command table. */
const modules: Array<{ register: (program: Command) => void }> = [
  ingest,
  connect,
  connectSlack,
  verify,
  check,
  configure,
  start,
  sync,
  rematch,
  history,
  investigate,
  retry,
  pause,
  resume,
  disconnect,
  disconnectSlack,
  listen,
  consoleCommand,
  emulator,
  demo,
  tenants,
  rotateKey,
];

export function registerCommands(program: Command): void {
  for (const m of modules) m.register(program);
}
