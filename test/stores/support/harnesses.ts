/**
 * Factories of fresh stores for the contract suite: MemoryStore, SQLiteStore
 * over a temporary file, PostgresStore in its own schema.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, type StoreOptions } from '../../../src/runtime/index.js';
import { SQLiteStore } from '../../../src/runtime/stores/sqlite/index.js';
import { PostgresStore } from '../../../src/runtime/stores/postgres/index.js';
import type { Ctx, StoreHarness, TestStore } from '../contract.js';
import { DATABASE_URL, dropSchemas, requirePostgres, uniqueSchema } from './postgres.js';

/** The stores a harness opened (and migrated), so `closeAll` closes each and `reopen` can swap one out. */
export class OpenStores<S extends { migrate(): Promise<void>; close(): Promise<void> }> {
  private readonly open = new Set<S>();

  async add(store: S): Promise<S> {
    this.open.add(store);
    await store.migrate();
    return store;
  }

  async close(store: S): Promise<void> {
    await store.close();
    this.open.delete(store);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.open].map((store) => store.close()));
    this.open.clear();
  }
}

export function memoryHarness(): StoreHarness {
  return {
    name: 'MemoryStore',
    async open(options) {
      return new MemoryStore<Ctx>(options);
    },
    async closeAll() {},
  };
}

export interface SQLiteHarness extends StoreHarness {
  /** Removes the temporary directory. */
  dispose(): void;
  dir: string;
}

export function sqliteHarness(): SQLiteHarness {
  const dir = mkdtempSync(join(tmpdir(), 'chatkit-sqlite-'));
  const open = new OpenStores<SQLiteStore<Ctx>>();
  let files = 0;
  return {
    name: 'SQLiteStore',
    dir,
    // A nested path: the directory is created on demand.
    open: (options) => open.add(new SQLiteStore<Ctx>({ ...options, url: join(dir, `db${++files}`, 'chatkit.db') })),
    async reopen(store, options) {
      const sqlite = store as SQLiteStore<Ctx>;
      await open.close(sqlite);
      return open.add(new SQLiteStore<Ctx>({ ...options, url: sqlite.location.url }));
    },
    closeAll: () => open.closeAll(),
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PostgresHarness extends StoreHarness {
  /** Drops every schema the harness created. */
  dispose(): Promise<void>;
  schemas: Set<string>;
}

export function postgresHarness(): PostgresHarness {
  const open = new OpenStores<PostgresStore<Ctx>>();
  const schemas = new Set<string>();
  const create = (schema: string, options: StoreOptions<Ctx> = {}) =>
    new PostgresStore<Ctx>({ ...options, connectionString: DATABASE_URL, schema, max: 4 });
  return {
    name: 'PostgresStore',
    schemas,
    async open(options) {
      await requirePostgres();
      const schema = uniqueSchema();
      schemas.add(schema);
      return open.add(create(schema, options));
    },
    async reopen(store, options) {
      const postgres = store as PostgresStore<Ctx>;
      await open.close(postgres);
      return open.add(create(postgres.schema, options));
    },
    closeAll: () => open.closeAll(),
    async dispose() {
      await open.closeAll();
      await dropSchemas(schemas);
    },
  };
}

export type { TestStore };
