/**
 * The database worker: owns the one connection to a local SQLite file (or
 * `:memory:`), so statements and fsyncs run here instead of on the server's
 * event loop. Whatever queued up on the port while a batch was being written
 * becomes the next batch (see group-commit.ts).
 *
 * From the TypeScript sources (tests, benchmarks) Node loads this file with
 * its built-in type stripping and no loader, which starts a worker in a
 * fraction of the time; so its own code is erasable syntax only, and the
 * sibling module is imported by a URL that names the file actually present.
 */
import { createRequire } from 'node:module';
import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { SyncDatabase } from './group-commit.js';
import type { WorkerMessage, WorkerOptions, WorkerRequest } from './worker-protocol.js';

const sibling = (name: string) => new URL(`./${name}${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
const { GroupCommit, serializeError } = (await import(sibling('group-commit'))) as typeof import('./group-commit.js');

// libsql is CommonJS with a native binding.
const Database = createRequire(import.meta.url)('libsql') as new (path: string) => SyncDatabase & { close(): void };

const options = workerData as WorkerOptions;
const port = options.port;
const post = (message: WorkerMessage) => port.postMessage(message);

let db: (SyncDatabase & { close(): void }) | undefined;
let batches!: InstanceType<typeof GroupCommit>;
try {
  db = new Database(options.path);
  db.exec(`PRAGMA busy_timeout = ${options.busyTimeoutMs}`);
  // WAL lets readers in other processes proceed while a batch commits; the setting is stored in the file.
  if (options.wal) db.exec('PRAGMA journal_mode = WAL');
  // FULL: COMMIT returns only after the WAL is fsynced. NORMAL: the WAL is fsynced at checkpoints only (see SQLiteStoreOptions.synchronous).
  db.exec(`PRAGMA synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  batches = new GroupCommit(db);
  post({ kind: 'ready' });
} catch (error) {
  db?.close();
  post({ kind: 'failed', error: serializeError(error) });
}

port.on('message', (first: WorkerRequest[]) => {
  const batch = [...first];
  for (let next = receiveMessageOnPort(port); next; next = receiveMessageOnPort(port)) batch.push(...(next.message as WorkerRequest[]));
  const closing = batch.some((request) => request.kind === 'close');
  const work = batch.filter((request) => request.kind !== 'close');
  if (work.length > 0) post({ kind: 'outcomes', outcomes: batches.run(work) });
  if (closing) {
    db?.close();
    // The event-loop side terminates this thread once it has read everything posted so far.
    post({ kind: 'closed' });
  }
});
