/**
 * `create-chatkit-backend/stores/postgres`: the store for deployments where
 * several backend instances share one database.
 *
 * ```ts
 * import { PostgresStore } from 'create-chatkit-backend/stores/postgres';
 * const store = new PostgresStore<Context>({ ownerOf: (ctx) => ctx.userId });   // DATABASE_URL
 * ```
 */
export { PostgresStore, type PostgresStoreOptions } from './store.js';
export { isPlainSchemaName } from './connection.js';
export { POSTGRES_MIGRATIONS, MIGRATIONS_TABLE, type PostgresMigration } from './migrations.js';
export { StoreClosedError } from '../shared/closed.js';
