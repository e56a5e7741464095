import { join } from 'node:path';
import { REPO_ROOT } from '../metadata/project';

/** The console's browser sources (LWC OSS components in TypeScript). */
export const APP_DIR = join(REPO_ROOT, 'scripts', 'console', 'app');
export const CONTRACT_FILE = join(REPO_ROOT, 'scripts', 'console', 'contract.ts');
export const OUT_DIR = join(REPO_ROOT, 'dist', 'console');
/** What the console serves: index.html, app.js and the SLDS assets. */
export const PUBLIC_DIR = join(OUT_DIR, 'public');
