/**
 * `npm run bench:store`: for each store, how fast items are written and how
 * long a 20-item page takes to read from a 10,000-item thread (both orders,
 * from the start and from a cursor in the middle).
 *
 * Writes are awaited one at a time, as ChatKitServer writes them while it
 * streams; a second figure shows 8 writers at once (several conversations on
 * one instance). PostgreSQL is the server named by DATABASE_URL, in a schema
 * dropped afterwards; SQLite is a temporary file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { MemoryStore, type Store, type ThreadItem } from '../src/runtime/index.js';
import { PostgresStore } from '../src/runtime/stores/postgres/index.js';
import { redactConnectionString } from '../src/runtime/stores/shared/redact.js';
import { SQLiteStore } from '../src/runtime/stores/sqlite/index.js';

const THREAD_SIZE = 10_000;
const CONCURRENT_ITEMS = 2_000;
const WRITERS = 8;
const PAGE = 20;
const READS = 300;
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type Ctx = Record<string, never>;
const ctx: Ctx = {};
type BenchStore = Store<Ctx> & { close?(): Promise<void> };

function item(threadId: string, i: number): ThreadItem {
  return {
    id: `msg_${String(i).padStart(6, '0')}`,
    thread_id: threadId,
    // Two items per millisecond: ties on created_at are part of the workload.
    created_at: new Date(Date.UTC(2025, 0, 1) + Math.floor(i / 2)).toISOString(),
    type: 'assistant_message',
    content: [{ type: 'output_text', text: `Reply number ${i}: ${'lorem ipsum '.repeat(20)}`, annotations: [] }],
  };
}

async function newThread(store: BenchStore, id: string): Promise<void> {
  await store.saveThread({ id, created_at: new Date().toISOString(), status: { type: 'active' }, metadata: {} }, ctx);
}

async function sequentialWrites(store: BenchStore): Promise<number> {
  await newThread(store, 'thr_big');
  const started = performance.now();
  for (let i = 0; i < THREAD_SIZE; i++) await store.addThreadItem('thr_big', item('thr_big', i), ctx);
  return THREAD_SIZE / ((performance.now() - started) / 1000);
}

async function concurrentWrites(store: BenchStore): Promise<number> {
  const threads = Array.from({ length: WRITERS }, (_, w) => `thr_writer_${w}`);
  for (const id of threads) await newThread(store, id);
  const perWriter = CONCURRENT_ITEMS / WRITERS;
  const started = performance.now();
  await Promise.all(
    threads.map(async (id) => {
      for (let i = 0; i < perWriter; i++) await store.addThreadItem(id, item(id, i), ctx);
    }),
  );
  return CONCURRENT_ITEMS / ((performance.now() - started) / 1000);
}

interface Timing {
  median: number;
  p95: number;
}

async function timeReads(read: () => Promise<unknown>): Promise<Timing> {
  for (let i = 0; i < 20; i++) await read(); // warm-up: plans, caches, JIT
  const samples: number[] = [];
  for (let i = 0; i < READS; i++) {
    const started = performance.now();
    await read();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)]!, p95: samples[Math.floor(samples.length * 0.95)]! };
}

async function pageReads(store: BenchStore): Promise<Record<string, Timing>> {
  const middle = item('thr_big', THREAD_SIZE / 2).id;
  const check = async (after: string | null, order: 'asc' | 'desc') => {
    const page = await store.loadThreadItems('thr_big', after, PAGE, order, ctx);
    if (page.data.length !== PAGE || !page.has_more) throw new Error(`unexpected page: ${page.data.length} items`);
    return page;
  };
  return {
    'asc, first page': await timeReads(() => check(null, 'asc')),
    'desc, first page': await timeReads(() => check(null, 'desc')),
    'asc, cursor mid-thread': await timeReads(() => check(middle, 'asc')),
    'desc, cursor mid-thread': await timeReads(() => check(middle, 'desc')),
  };
}

async function bench(name: string, open: () => Promise<BenchStore>, cleanUp: () => Promise<void> = async () => {}) {
  const store = await open();
  try {
    const sequential = await sequentialWrites(store);
    const concurrent = await concurrentWrites(store);
    const reads = await pageReads(store);
    console.log(`\n${name}`);
    console.log(`  writes, one at a time:  ${Math.round(sequential).toLocaleString('en-US')} items/s (${THREAD_SIZE.toLocaleString('en-US')} items)`);
    console.log(`  writes, ${WRITERS} at once:      ${Math.round(concurrent).toLocaleString('en-US')} items/s (${CONCURRENT_ITEMS.toLocaleString('en-US')} items)`);
    console.log(`  read a ${PAGE}-item page of a ${THREAD_SIZE.toLocaleString('en-US')}-item thread (median / p95 of ${READS}):`);
    for (const [label, timing] of Object.entries(reads)) {
      console.log(`    ${label.padEnd(24)} ${timing.median.toFixed(3)} ms / ${timing.p95.toFixed(3)} ms`);
    }
  } finally {
    await store.close?.();
    await cleanUp();
  }
}

async function main(): Promise<void> {
  console.log(`create-chatkit-backend store benchmark (Node ${process.version})`);
  await bench('MemoryStore', async () => new MemoryStore<Ctx>());

  const dir = mkdtempSync(join(tmpdir(), 'chatkit-bench-'));
  await bench(
    `SQLiteStore (local file, WAL)`,
    async () => {
      const store = new SQLiteStore<Ctx>({ url: join(dir, 'bench.db') });
      await store.migrate();
      return store;
    },
    async () => rmSync(dir, { recursive: true, force: true }),
  );

  const schema = `ckt_bench_${process.pid}_${Date.now().toString(36)}`;
  try {
    await bench(
      `PostgresStore (${redactConnectionString(DATABASE_URL)})`,
      async () => {
        const store = new PostgresStore<Ctx>({ connectionString: DATABASE_URL, schema });
        await store.migrate();
        return store;
      },
      async () => {
        const client = new pg.Client({ connectionString: DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      },
    );
  } catch (error) {
    console.error(`\nPostgresStore: failed (${(error as Error).message}); set DATABASE_URL to a reachable server.`);
    process.exitCode = 1;
  }
}

await main();
