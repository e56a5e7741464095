import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkSizes, formatSizeFinding, type SizeOptions } from '../check';
import { measureSource } from '../measure';

const LIMITS = { fileLines: 400, functionLines: 100 };

function body(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `  const v${i} = ${i};`).join('\n');
}

/** A function whose first and last lines are included: `lines` in all. */
function fn(name: string, lines: number): string {
  return `export function ${name}(): void {\n${body(lines - 2)}\n}\n`;
}

describe('size check', () => {
  let root: string;
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  const options = (allowed: Record<string, number> = {}): SizeOptions => ({
    roots: ['scripts', 'force-app'],
    excludedDirs: ['scripts/generated'],
    limits: LIMITS,
    allowed,
  });

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'size-check-'));
    for (const dir of ['scripts', 'force-app']) mkdirSync(path.join(root, dir));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('flags a file over 400 lines and a function over 100 lines, with file, line and name', () => {
    write('scripts/sync/long.ts', `// header\n${fn('fine', 100)}${fn('tooLong', 101)}${'// filler\n'.repeat(199)}`);
    const findings = checkSizes(root, options());
    expect(findings.map(formatSizeFinding)).toEqual([
      'scripts/sync/long.ts:1 file: 401 lines, over the limit of 400; split it along its steps.',
      'scripts/sync/long.ts:102 function tooLong: 101 lines, over the limit of 100; split it along its steps.',
    ]);
  });

  it('measures LWC TypeScript and leaves tests, test support, generated code and declarations alone', () => {
    const big = fn('big', 101);
    write('force-app/main/default/lwc/card/card.ts', big);
    for (const file of [
      'scripts/sync/__tests__/a.ts',
      'scripts/test-support/b.ts',
      'scripts/generated/c.ts',
      'scripts/x/node_modules/d.ts',
      'scripts/dist/e.ts',
      'scripts/sync/f.test.ts',
      'scripts/sync/g.d.ts',
    ]) {
      write(file, big);
    }
    expect(checkSizes(root, options()).map((f) => f.file)).toEqual(['force-app/main/default/lwc/card/card.ts']);
  });

  it('names methods, constructors and arrow functions by what holds them', () => {
    const text = [
      'class Runner {',
      '  constructor() {}',
      '  start(): void {}',
      '}',
      'const handler = () => 1;',
      'const api = { call() { return 1; } };',
      '[1].map((n) => n);',
      '',
    ].join('\n');
    expect(measureSource('a.ts', text).functions.map((f) => `${f.name}@${f.line}`)).toEqual([
      'Runner.constructor@2',
      'Runner.start@3',
      'handler@5',
      'api.call@6',
      '<anonymous>@7',
    ]);
  });

  it('stops with the cause when a root is missing', () => {
    rmSync(path.join(root, 'force-app'), { recursive: true });
    expect(() => checkSizes(root, options())).toThrow(/force-app\/ not found under .*pass the repository root/);
  });

  it('tolerates an allowed item at or below its allowance and fails when it grows', () => {
    write('scripts/a.ts', fn('legacy', 120));
    expect(checkSizes(root, options({ 'scripts/a.ts#legacy': 120 }))).toEqual([]);
    expect(checkSizes(root, options({ 'scripts/a.ts#legacy': 119 })).map(formatSizeFinding)).toEqual([
      'scripts/a.ts:1 function legacy: 120 lines, grew past its allowance of 119 (limit 100); shrink it.',
    ]);
  });

  it('holds every function of one name in a file to their shared allowance', () => {
    write('scripts/m.ts', `export const steps = [{ up() {\n${body(118)}\n} }, { up() {\n${body(8)}\n} }];\n`);
    expect(checkSizes(root, options({ 'scripts/m.ts#up': 120 }))).toEqual([]);
    write('scripts/m.ts', `export const steps = [{ up() {\n${body(118)}\n} }, { up() {\n${body(128)}\n} }];\n`);
    expect(checkSizes(root, options({ 'scripts/m.ts#up': 120 })).map(formatSizeFinding)).toEqual([
      'scripts/m.ts:120 function up: 130 lines, grew past its allowance of 120 (limit 100); shrink it.',
    ]);
  });

  it('fails on an allowance that is no longer needed or names nothing', () => {
    write('scripts/a.ts', fn('short', 20));
    const findings = checkSizes(root, options({ 'scripts/a.ts#short': 130, 'scripts/gone.ts': 450 }));
    expect(findings.map(formatSizeFinding)).toEqual([
      'scripts/a.ts:1 function short: 20 lines, within the limit of 100; remove its allowance from scripts/checks/size/config.ts.',
      'scripts/gone.ts:0 file: allowed 450 lines but not found; remove it from scripts/checks/size/config.ts.',
    ]);
  });
});
