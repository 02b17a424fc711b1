/**
 * `npm run bench:store`: how each store holds up, in two parts.
 *
 * 1. The store alone: items written per second with one writer (awaiting
 *    each write, as ChatKitServer does while it streams) and with 8 writers
 *    at once (several conversations on one instance), and the time to read a
 *    20-item page of a 10,000-item thread.
 * 2. 1,000 concurrent `threads.create` streams through the Fastify plugin
 *    over real TCP, the server (a scripted-style ChatKitServer: a user
 *    message, an assistant message streamed as deltas, a title) in a child
 *    process: time to first event p50/p99, items persisted per second, and
 *    the latency of `/healthz`, probed from a separate thread every 10 ms
 *    while the streams run.
 *
 * Stores: MemoryStore (the ceiling), SQLiteStore as shipped (a worker thread
 * with group commit), SQLiteStore on the old path (`@libsql/client` running
 * every statement and fsync on the event loop; kept here only as the
 * baseline), and PostgresStore (DATABASE_URL, in a schema dropped afterwards).
 * SQLite uses temporary files. Everything is measured in this one run.
 *
 * Part 1 also measures the bound this disk sets: the store's own statements,
 * batched as the worker batches them, committed on the event loop with no
 * thread between (nothing the store adds but the SQL), under each
 * `synchronous` setting. Eight writers that each await their write put at
 * most eight items in a commit, so a commit's cost caps the 8-writer figure.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { Agent, request } from 'undici';
import { MemoryStore, type Store, type ThreadItem } from '../src/runtime/index.js';
import { PostgresStore } from '../src/runtime/stores/postgres/index.js';
import { redactConnectionString } from '../src/runtime/stores/shared/redact.js';
import { ClientConnection } from '../src/runtime/stores/sqlite/client-connection.js';
import type { SQLiteConnection, SQLStatement } from '../src/runtime/stores/sqlite/connection.js';
import { GroupCommit, type SyncDatabase } from '../src/runtime/stores/sqlite/group-commit.js';
import { SQLiteStore } from '../src/runtime/stores/sqlite/index.js';
import { deserializeError, type WorkerOutcome, type WorkerRequest } from '../src/runtime/stores/sqlite/worker-protocol.js';
import { nextMessage, percentile } from './support/child.js';

const THREAD_SIZE = 10_000;
const CONCURRENT_ITEMS = 2_000;
const WRITERS = 8;
const PAGE = 20;
const READS = 300;
const STREAMS = 1_000;
const DELTAS = 20;
const HEALTH_PROBE_MS = 10;
/** bench:store's 8-writer figure for SQLite before the worker (the number). */
const REPORTED_OLD_8_WRITERS = 2_841;
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

type Ctx = { userId?: string };
const ctx: Ctx = {};
type BenchStore = Store<Ctx> & { close?(): Promise<void>; migrate?(): Promise<void> };
type StoreKind = 'memory' | 'sqlite' | 'sqlite-normal' | 'sqlite-old' | 'postgres';

const LABELS: Record<StoreKind, string> = {
  memory: 'MemoryStore (ceiling)',
  sqlite: 'SQLiteStore (worker, group commit)',
  'sqlite-normal': "SQLiteStore, synchronous: 'normal'",
  'sqlite-old': 'SQLiteStore, old path (driver on the event loop)',
  postgres: 'PostgresStore',
};

/** The old path: `@libsql/client` on a local file, every statement and fsync on the event loop. */
class OldPathSQLiteStore extends SQLiteStore<Ctx> {
  protected override async connect(): Promise<SQLiteConnection> {
    const connection = await ClientConnection.open({ url: this.location.url, busyTimeoutMs: 5000 });
    await connection.read({ sql: 'PRAGMA journal_mode = WAL' });
    return connection;
  }
}

type SyncSetting = 'FULL' | 'NORMAL' | 'OFF';

/**
 * The bound: the worker's batching (everything asked for in one drain of the
 * microtask queue is one batch, one commit) run synchronously on the event
 * loop, so no thread handoff and no message copies: what is left is the
 * store's SQL, SQLite and the disk.
 */
class InlineConnection implements SQLiteConnection {
  private unsent: WorkerRequest[] = [];
  private readonly waiting = new Map<number, { resolve(outcome: WorkerOutcome): void }>();
  private nextId = 0;
  private readonly batches: GroupCommit;

  constructor(private readonly db: SyncDatabase & { close(): void }) {
    this.batches = new GroupCommit(db);
  }

  static open(path: string, synchronous: SyncSetting): InlineConnection {
    const Database = createRequire(import.meta.url)('libsql') as new (path: string) => SyncDatabase & { close(): void };
    const db = new Database(path);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec(`PRAGMA synchronous = ${synchronous}`);
    return new InlineConnection(db);
  }

  async read(statement: SQLStatement) {
    const outcome = await this.request({ kind: 'read', statement });
    return 'rows' in outcome ? outcome.rows : [];
  }

  async write(statements: SQLStatement[]) {
    const outcome = await this.request({ kind: 'write', statements });
    return 'changes' in outcome ? outcome.changes : [];
  }

  async close() {
    this.db.close();
  }

  private async request(request: { kind: 'read'; statement: SQLStatement } | { kind: 'write'; statements: SQLStatement[] }): Promise<WorkerOutcome> {
    const id = this.nextId++;
    const outcome = await new Promise<WorkerOutcome>((resolve) => {
      this.waiting.set(id, { resolve });
      if (this.unsent.length === 0) queueMicrotask(() => this.run());
      this.unsent.push({ ...request, id } as WorkerRequest);
    });
    if (!outcome.ok) throw deserializeError(outcome.error);
    return outcome;
  }

  private run() {
    const batch = this.unsent as Extract<WorkerRequest, { kind: 'read' | 'write' }>[];
    this.unsent = [];
    for (const outcome of this.batches.run(batch)) {
      this.waiting.get(outcome.id)?.resolve(outcome);
      this.waiting.delete(outcome.id);
    }
  }
}

class InlineSQLiteStore extends SQLiteStore<Ctx> {
  constructor(
    url: string,
    private readonly setting: SyncSetting,
  ) {
    super({ url });
  }

  protected override async connect(): Promise<SQLiteConnection> {
    return InlineConnection.open(this.location.url, this.setting);
  }
}

/** Opens a fresh store of `kind`; `cleanUp` removes its data. */
function openStore(kind: StoreKind, name: string): { store: BenchStore; cleanUp: () => Promise<void> } {
  if (kind === 'memory') return { store: new MemoryStore<Ctx>(), cleanUp: async () => {} };
  if (kind === 'postgres') {
    const schema = `ckt_bench_${name}_${process.pid}_${Date.now().toString(36)}`;
    return {
      store: new PostgresStore<Ctx>({ connectionString: DATABASE_URL, schema }),
      async cleanUp() {
        const client = new pg.Client({ connectionString: DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'chatkit-bench-'));
  const url = join(dir, 'bench.db');
  return {
    store:
      kind === 'sqlite-old'
        ? new OldPathSQLiteStore({ url })
        : new SQLiteStore<Ctx>({ url, synchronous: kind === 'sqlite-normal' ? 'normal' : 'full' }),
    cleanUp: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

if (process.argv[2] === '--serve') {
  await serve(process.argv[3] as StoreKind);
} else {
  await main();
}

// ------------------------------------------------------------------ part 1: the store alone

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

async function concurrentWrites(store: BenchStore, round: number): Promise<number> {
  const threads = Array.from({ length: WRITERS }, (_, w) => `thr_writer_${round}_${w}`);
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
  return { median: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
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

interface StoreResult {
  oneWriter: number;
  eightWriters: number;
}

async function benchStore(kind: StoreKind): Promise<StoreResult> {
  const { store, cleanUp } = openStore(kind, 'direct');
  try {
    await store.migrate?.();
    const oneWriter = await sequentialWrites(store);
    // Best of three: the short 8-writer run is the most exposed to a busy machine.
    let eightWriters = 0;
    for (let round = 0; round < 3; round++) eightWriters = Math.max(eightWriters, await concurrentWrites(store, round));
    const reads = await pageReads(store);
    console.log(`\n${LABELS[kind]}`);
    console.log(`  writes, one at a time:  ${fmt(oneWriter)} items/s (${fmt(THREAD_SIZE)} items)`);
    console.log(`  writes, ${WRITERS} at once:      ${fmt(eightWriters)} items/s (${fmt(CONCURRENT_ITEMS)} items, best of 3)`);
    console.log(`  read a ${PAGE}-item page of a ${fmt(THREAD_SIZE)}-item thread (median / p95 of ${READS}):`);
    for (const [label, timing] of Object.entries(reads)) {
      console.log(`    ${label.padEnd(24)} ${timing.median.toFixed(3)} ms / ${timing.p95.toFixed(3)} ms`);
    }
    return { oneWriter, eightWriters };
  } finally {
    await store.close?.();
    await cleanUp();
  }
}

/** 8-writer items/s with the store's statements committed on the event loop (InlineConnection), per `synchronous` setting. */
async function benchBound(): Promise<Record<SyncSetting, number>> {
  const bound = {} as Record<SyncSetting, number>;
  for (const setting of ['FULL', 'NORMAL', 'OFF'] as const) {
    const dir = mkdtempSync(join(tmpdir(), 'chatkit-bench-'));
    const store = new InlineSQLiteStore(join(dir, 'bench.db'), setting);
    try {
      await store.migrate();
      // The same work as the stores' part: a 10,000-item thread first, then the best of three 8-writer runs.
      await sequentialWrites(store);
      let best = 0;
      for (let round = 0; round < 3; round++) best = Math.max(best, await concurrentWrites(store, round));
      bound[setting] = best;
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`\nThe bound on this disk: the store's statements, 8 writers, each batch committed on the event loop (no worker, no copies)`);
  console.log(`  synchronous FULL (an fsync per commit):  ${fmt(bound.FULL)} items/s`);
  console.log(`  synchronous NORMAL (no fsync at commit): ${fmt(bound.NORMAL)} items/s`);
  console.log(`  synchronous OFF (not crash-safe; never shipped): ${fmt(bound.OFF)} items/s`);
  return bound;
}

// ------------------------------------------------------------------ part 2: 1,000 streams over HTTP (server child)

async function serve(kind: StoreKind): Promise<void> {
  const { default: Fastify } = await import('fastify');
  const { default: chatkit } = await import('../src/http/index.js');
  const { ChatKitServer } = await import('../src/runtime/index.js');
  type Thread = import('../src/runtime/index.js').ThreadMetadata;
  type Event = import('../src/runtime/index.js').ThreadStreamEvent;

  /** Like the scripted model: an assistant message streamed as deltas, then a title. */
  class ScriptedStyleServer extends ChatKitServer<Ctx> {
    async *respond(thread: Thread): AsyncGenerator<Event> {
      const id = this.store.generateItemId('message', thread, ctx);
      const item = { id, thread_id: thread.id, created_at: new Date().toISOString(), type: 'assistant_message' as const, content: [] };
      yield { type: 'thread.item.added', item };
      let text = '';
      for (let i = 0; i < DELTAS; i++) {
        const delta = `word${i} `;
        text += delta;
        yield { type: 'thread.item.updated', item_id: id, update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta } };
      }
      yield { type: 'thread.item.done', item: { ...item, content: [{ annotations: [], text, type: 'output_text' }] } };
      thread.title = 'Bench conversation';
    }
  }

  const { store, cleanUp } = openStore(kind, 'http');
  await store.migrate?.();
  const server = new ScriptedStyleServer(store);
  server.logger = { error: (...args: unknown[]) => console.error('server error', ...args), warn() {} };
  const app = Fastify({ logger: false, forceCloseConnections: true });
  await app.register(chatkit, { server, auth: { verify: () => ({ userId: 'bench' }) }, cors: { origins: ['http://localhost:5173'] } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  // The server's own event-loop delay, to tell its stalls from the machine's scheduling.
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  process.on('message', (message: { kind: string }) => {
    if (message.kind === 'measure') {
      loopDelay.reset();
      loopDelay.enable();
      return;
    }
    if (message.kind === 'measured') {
      loopDelay.disable();
      process.send!({ kind: 'loop-delay', p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 });
      return;
    }
    if (message.kind !== 'stop') return;
    void (async () => {
      await app.close();
      await store.close?.();
      await cleanUp();
      process.exit(0);
    })();
  });
  process.send!({ kind: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
}

// ------------------------------------------------------------------ part 2: the load generator (this process)

interface HttpResult {
  p50: number;
  p99: number;
  wallSeconds: number;
  itemsPerSecond: number;
  health: { p50: number; p99: number; max: number; samples: number };
  /** The server process's event-loop delay during the run. */
  loopDelay: { p99: number; max: number };
}

async function benchHttp(kind: StoreKind): Promise<HttpResult> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve', kind], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // A long connect timeout: the old path's server stops accepting connections while it fsyncs.
  const agent = new Agent({ connections: STREAMS + 10, pipelining: 1, keepAliveTimeout: 30_000, connectTimeout: 120_000 });
  try {
    const port = (await nextMessage(child, 'ready')).port as number;
    const base = `http://127.0.0.1:${port}`;
    await runStreams(agent, `${base}/chatkit/api`, 50); // warm-up: JIT, connections, statement caches
    const prober = startHealthProber(`${base}/healthz`);
    await prober.started;
    child.send({ kind: 'measure' });
    const run = await runStreams(agent, `${base}/chatkit/api`, STREAMS);
    const health = await prober.stop();
    child.send({ kind: 'measured' });
    const loop = await nextMessage(child, 'loop-delay');
    return { ...run, health, loopDelay: { p99: loop.p99 as number, max: loop.max as number } };
  } finally {
    child.send({ kind: 'stop' });
    await new Promise((resolve) => child.once('exit', resolve));
    await agent.close();
  }
}

function body(text: string): string {
  return JSON.stringify({ type: 'threads.create', params: { input: { content: [{ type: 'input_text', text }], attachments: [], inference_options: {} } } });
}

async function runStreams(agent: Agent, url: string, count: number) {
  const started = performance.now();
  const firsts = await Promise.all(Array.from({ length: count }, () => readStream(agent, url, started)));
  const wallSeconds = (performance.now() - started) / 1000;
  firsts.sort((a, b) => a - b);
  // Each stream persists two items: the user's message and the assistant's reply.
  return { p50: percentile(firsts, 0.5), p99: percentile(firsts, 0.99), wallSeconds, itemsPerSecond: (2 * count) / wallSeconds };
}

/** Reads one stream; checks it carried both items and no error; returns when its first event arrived. */
async function readStream(agent: Agent, url: string, started: number): Promise<number> {
  const response = await request(url, { method: 'POST', body: body('hello'), headers: { 'content-type': 'application/json' }, dispatcher: agent });
  if (response.statusCode !== 200) throw new Error(`${url}: HTTP ${response.statusCode}`);
  let firstEventMs = -1;
  let text = '';
  for await (const chunk of response.body as AsyncIterable<Buffer>) {
    if (firstEventMs < 0) firstEventMs = performance.now() - started;
    text += chunk.toString('utf8');
  }
  const events = text.split('\n\n').filter((frame) => frame.startsWith('data: ')).map((frame) => JSON.parse(frame.slice(6)) as { type: string });
  const done = events.filter((event) => event.type === 'thread.item.done').length;
  const errors = events.filter((event) => event.type === 'error');
  if (done !== 2 || errors.length > 0) throw new Error(`a stream ended with ${done} items done and errors ${JSON.stringify(errors)}`);
  return firstEventMs;
}

/**
 * GETs `/healthz` every HEALTH_PROBE_MS from its own thread, so the load
 * generator's own work does not delay the probes, and keeps the latencies.
 */
function startHealthProber(url: string) {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const http = require('node:http');
     const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
     const samples = [];
     let running = true;
     parentPort.on('message', () => { running = false; });
     const probe = () => {
       const started = performance.now();
       http.get(workerData.url, { agent }, (res) => {
         res.resume();
         res.on('end', () => {
           if (res.statusCode !== 200) throw new Error('/healthz: HTTP ' + res.statusCode);
           samples.push(performance.now() - started);
           if (samples.length === 1) parentPort.postMessage({ kind: 'started' });
           if (running) setTimeout(probe, workerData.every);
           else { agent.destroy(); parentPort.postMessage({ kind: 'samples', samples }); }
         });
       });
     };
     probe();`,
    { eval: true, workerData: { url, every: HEALTH_PROBE_MS } },
  );
  const messages = (kind: string) =>
    new Promise<{ samples?: number[] }>((resolve, reject) => {
      worker.on('message', (message: { kind: string; samples?: number[] }) => message.kind === kind && resolve(message));
      worker.once('error', reject);
    });
  const started = messages('started');
  return {
    started,
    async stop() {
      const done = messages('samples');
      worker.postMessage('stop');
      const samples = (await done).samples!.sort((a, b) => a - b);
      await worker.terminate();
      return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99), max: samples[samples.length - 1]!, samples: samples.length };
    },
  };
}

// ------------------------------------------------------------------ report

async function main(): Promise<void> {
  console.log(`create-chatkit-backend store benchmark (Node ${process.version}; PostgreSQL: ${redactConnectionString(DATABASE_URL)})`);
  // `-- --stores=sqlite,postgres` runs some stores only; `-- --direct` or `-- --http` one part only.
  const only = process.argv.find((arg) => arg.startsWith('--stores='))?.slice('--stores='.length).split(',');
  const kinds = (['memory', 'sqlite-old', 'sqlite', 'sqlite-normal', 'postgres'] as const).filter((kind) => !only || only.includes(kind));
  const parts = { direct: !process.argv.includes('--http'), http: !process.argv.includes('--direct') };
  const direct: Partial<Record<StoreKind, StoreResult>> = {};
  const http: Partial<Record<StoreKind, HttpResult>> = {};
  let bound: Record<SyncSetting, number> | undefined;
  for (const kind of parts.direct ? kinds : []) {
    try {
      direct[kind] = await benchStore(kind);
    } catch (error) {
      fail(kind, error);
    }
  }
  if (parts.direct && kinds.includes('sqlite')) bound = await benchBound();
  if (parts.http) console.log(`\n${fmt(STREAMS)} concurrent threads.create streams through the Fastify plugin (server in a child process)`);
  for (const kind of parts.http ? kinds : []) {
    try {
      const result = (http[kind] = await benchHttp(kind));
      console.log(
        `  ${LABELS[kind].padEnd(48)} first event p50 ${ms(result.p50)}  p99 ${ms(result.p99)}  wall ${result.wallSeconds.toFixed(2)} s` +
          `  /healthz p50 ${ms(result.health.p50)} p99 ${ms(result.health.p99)} max ${ms(result.health.max)} (${result.health.samples} probes)` +
          `  server event-loop delay p99 ${ms(result.loopDelay.p99)} max ${ms(result.loopDelay.max)}`,
      );
    } catch (error) {
      fail(kind, error);
    }
  }

  console.log(`\nSide by side (items/s; time to first event at ${fmt(STREAMS)} streams)`);
  console.log(`  ${'store'.padEnd(48)} ${'1 writer'.padStart(9)} ${'8 writers'.padStart(10)} ${'HTTP items/s'.padStart(13)} ${'TTFE p50'.padStart(10)} ${'TTFE p99'.padStart(10)} ${'/healthz max'.padStart(13)}`);
  for (const kind of kinds) {
    const d = direct[kind];
    const h = http[kind];
    console.log(
      `  ${LABELS[kind].padEnd(48)} ${(d ? fmt(d.oneWriter) : '-').padStart(9)} ${(d ? fmt(d.eightWriters) : '-').padStart(10)} ` +
        `${(h ? fmt(h.itemsPerSecond) : '-').padStart(13)} ${(h ? ms(h.p50) : '-').padStart(10)} ${(h ? ms(h.p99) : '-').padStart(10)} ${(h ? ms(h.health.max) : '-').padStart(13)}`,
    );
  }

  console.log('\nTargets');
  const sqlite = direct.sqlite;
  const old = direct['sqlite-old'];
  if (sqlite && old) {
    console.log(`  SQLite 8 writers / old path 8 writers (this run):  ${ratio(sqlite.eightWriters, old.eightWriters)} (target >= 10)`);
    console.log(`  SQLite 8 writers / ${fmt(REPORTED_OLD_8_WRITERS)} (the issue's figure):  ${ratio(sqlite.eightWriters, REPORTED_OLD_8_WRITERS)} (target >= 10)`);
  }
  if (sqlite && bound) {
    const target = 10 * REPORTED_OLD_8_WRITERS;
    console.log(`  SQLite 8 writers / the bound with FULL (this run):  ${ratio(sqlite.eightWriters, bound.FULL)}`);
    console.log(
      `  The 10x target (${fmt(target)} items/s) needs a commit of 8 items every ${((8 / target) * 1e6).toFixed(0)} us; ` +
        `this disk's bound commits one every ${((8 / bound.FULL) * 1e6).toFixed(0)} us with FULL, ${((8 / bound.NORMAL) * 1e6).toFixed(0)} us with NORMAL`,
    );
  }
  const normal = direct['sqlite-normal'];
  if (normal && old) {
    console.log(`  SQLite synchronous 'normal' 8 writers / old path (this run):  ${ratio(normal.eightWriters, old.eightWriters)}; / ${fmt(REPORTED_OLD_8_WRITERS)}: ${ratio(normal.eightWriters, REPORTED_OLD_8_WRITERS)}`);
  }
  const sqliteHttp = http.sqlite;
  const postgresHttp = http.postgres;
  if (sqliteHttp && postgresHttp) {
    console.log(`  SQLite TTFE p99 / Postgres TTFE p99:  ${ratio(sqliteHttp.p99, postgresHttp.p99)} (target <= 1)`);
  }
  if (sqliteHttp) console.log(`  /healthz slowest answer during the SQLite run: ${ms(sqliteHttp.health.max)} (target <= 50 ms)`);
  if (http.memory && sqliteHttp) console.log(`  SQLite HTTP items/s / Memory (ceiling): ${ratio(sqliteHttp.itemsPerSecond, http.memory.itemsPerSecond)}`);
}

function fail(kind: StoreKind, error: unknown): void {
  const hint = kind === 'postgres' ? '; set DATABASE_URL to a reachable server' : '';
  console.error(`\n${LABELS[kind]}: failed (${(error as Error).message})${hint}`);
  process.exitCode = 1;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function ms(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(1)} ms`;
}

function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}
