/** The store's file name inside a state directory (a leaf: front ends name it without loading the store). */
export const STORE_FILE = 'store.db';
