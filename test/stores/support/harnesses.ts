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
  const open = new Set<SQLiteStore<Ctx>>();
  let files = 0;
  const track = async (store: SQLiteStore<Ctx>) => {
    open.add(store);
    await store.migrate();
    return store;
  };
  return {
    name: 'SQLiteStore',
    dir,
    // A nested path: the directory is created on demand.
    open: (options) => track(new SQLiteStore<Ctx>({ ...options, url: join(dir, `db${++files}`, 'chatkit.db') })),
    async reopen(store, options) {
      const sqlite = store as SQLiteStore<Ctx>;
      await sqlite.close();
      open.delete(sqlite);
      return track(new SQLiteStore<Ctx>({ ...options, url: sqlite.location.url }));
    },
    async closeAll() {
      await Promise.all([...open].map((store) => store.close()));
      open.clear();
    },
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
  const open = new Set<PostgresStore<Ctx>>();
  const schemas = new Set<string>();
  const track = async (store: PostgresStore<Ctx>) => {
    open.add(store);
    await store.migrate();
    return store;
  };
  const create = (schema: string, options: StoreOptions<Ctx> = {}) =>
    new PostgresStore<Ctx>({ ...options, connectionString: DATABASE_URL, schema, max: 4 });
  return {
    name: 'PostgresStore',
    schemas,
    async open(options) {
      await requirePostgres();
      const schema = uniqueSchema();
      schemas.add(schema);
      return track(create(schema, options));
    },
    async reopen(store, options) {
      const postgres = store as PostgresStore<Ctx>;
      await postgres.close();
      open.delete(postgres);
      return track(create(postgres.schema, options));
    },
    async closeAll() {
      await Promise.all([...open].map((store) => store.close()));
      open.clear();
    },
    async dispose() {
      await this.closeAll();
      await dropSchemas(schemas);
    },
  };
}

export type { TestStore };
