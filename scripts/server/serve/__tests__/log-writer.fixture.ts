/**
 * A server process's logger writing far more than a pipe holds (2,000 lines of about 10 kB) while the
 * test reads nothing of its stdout. Prints `done <ms>` on stderr once every line was logged, and
 * `tick` on stderr every 50 ms meanwhile: the event loop must stay free. Exits when told on stdin.
 */
import { createLogger } from '../log';

const log = createLogger();
const padding = 'x'.repeat(10_000);
const ticks = setInterval(() => process.stderr.write('tick\n'), 50);
const started = Date.now();
let line = 0;
function burst(): void {
  for (let i = 0; i < 100 && line < 2_000; i++, line++) log.info({ line, padding }, 'filler');
  if (line < 2_000) {
    setImmediate(burst);
    return;
  }
  process.stderr.write(`done ${Date.now() - started}\n`);
  process.stdin.once('data', () => {
    clearInterval(ticks);
    log.info('last line');
    process.exit(0);
  });
}
burst();
