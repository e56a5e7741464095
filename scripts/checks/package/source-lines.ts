import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectPath } from './project';

/** A place in the source a developer edits. */
export interface SourcePlace {
  file: string;
  line?: number;
}

function nearest(candidates: number[], line: number): number | undefined {
  return candidates.sort((a, b) => Math.abs(a - line) - Math.abs(b - line))[0];
}

/**
 * Maps a line the compiler reports in a bundle file back to the file a developer edits. Templates
 * and styles are their own source. A `.js` is tsc's output of the `.ts` beside it, where types move
 * lines: the line is found again in the `.ts` by `needle` (the import specifier or the token the
 * compiler points at), else by the compiled line's text, nearest to the compiled line; when neither is
 * there the compiled `.js` line is given.
 */
export function sourcePlace(
  root: string,
  sourceDir: string,
  file: string,
  line?: number,
  needle?: string,
): SourcePlace {
  const compiled = join(sourceDir, file);
  const ts = compiled.replace(/\.js$/, '.ts');
  if (!file.endsWith('.js') || !existsSync(ts)) return { file: projectPath(root, compiled), line };
  const tsLines = readFileSync(ts, 'utf8').split('\n');
  let wanted = needle;
  if (!wanted && line && existsSync(compiled))
    wanted = readFileSync(compiled, 'utf8').split('\n')[line - 1]?.trim() || undefined;
  const matches = wanted ? tsLines.flatMap((text, index) => (text.includes(wanted) ? [index + 1] : [])) : [];
  const found = nearest(matches, line ?? 1);
  return found ? { file: projectPath(root, ts), line: found } : { file: projectPath(root, compiled), line };
}
