/**
 * The server mode's environment variables, in a module with no dependencies: the CLI registers its
 * options from these without loading the PostgreSQL libraries.
 */
export const DATABASE_ENV = 'TIGHTKNIT_DATABASE_URL';
export const MASTER_KEY_ENV = 'TIGHTKNIT_MASTER_KEY';
export const PREVIOUS_MASTER_KEY_ENV = 'TIGHTKNIT_PREVIOUS_MASTER_KEY';
