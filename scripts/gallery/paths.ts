import { join } from 'node:path';
import { REPO_ROOT } from '../metadata/project';

/** The gallery's browser sources: the page shell and the stand-ins for platform modules (TypeScript). */
export const APP_DIR = join(REPO_ROOT, 'scripts', 'gallery', 'app');
/** The package's components (compiled in place by `npm run build`). */
export const LWC_DIR = join(REPO_ROOT, 'force-app', 'main', 'default', 'lwc');
export const OUT_DIR = join(REPO_ROOT, 'dist', 'gallery');
/** What the gallery serves: index.html, the bundle and the SLDS assets. */
export const PUBLIC_DIR = join(OUT_DIR, 'public');
/** Where the screenshots go (docs/components.md shows them). */
export const SHOTS_DIR = join(REPO_ROOT, 'docs', 'components');
