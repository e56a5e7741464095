import { readFileSync } from 'node:fs';

/** `--name N` from the command line, else the fallback; every size and rate the benches take is positive. */
export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i > 0 ? Number(process.argv[i + 1]) : fallback;
  if (!(v > 0)) throw new Error(`--${name} must be a positive number`);
  return v;
}

/** Resident memory of a process, in kB: its high-water mark (VmHWM) and current size (VmRSS). */
export function memoryOf(pid: number): { hwm: number; rss: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
    return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
  } catch {
    return undefined; // not Linux, or the process has ended
  }
}
