/**
 * `create-chatkit-backend/stores/sqlite`: the embedded default store.
 *
 * ```ts
 * import { SQLiteStore } from 'create-chatkit-backend/stores/sqlite';
 * const store = new SQLiteStore<Context>({ ownerOf: (ctx) => ctx.userId });   // file:.data/chatkit.db
 * ```
 */
export { SQLiteStore, type SQLiteStoreOptions } from './store.js';
export type { SQLiteSynchronous } from './connection.js';
export { DEFAULT_SQLITE_URL, type SQLiteLocation } from './location.js';
export { SQLITE_MIGRATIONS, MIGRATIONS_TABLE, type Migration } from './migrations.js';
export { StoreClosedError } from '../shared/closed.js';
