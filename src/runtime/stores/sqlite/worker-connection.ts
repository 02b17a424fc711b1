/**
 * A `SQLiteConnection` to a local file or `:memory:` through a worker thread
 * that owns the database (worker.ts). The event loop only posts requests and
 * settles promises; statements and fsyncs happen on the worker, and writes
 * that arrive together are committed together (group-commit.ts). A write's
 * promise resolves once the batch holding it is committed and on disk.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { later, sliceSpent } from '../../event-loop-slice.js';
import type { SQLRow, SQLStatement, SQLiteConnection } from './connection.js';
import { deserializeError, type WorkerMessage, type WorkerOptions, type WorkerOutcome, type WorkerRequest } from './worker-protocol.js';

/** Outcomes of one commit settled at once rather than through the turn queue (see settleInTurns). */
const FEW_OUTCOMES = 8;

interface Waiting {
  resolve(outcome: WorkerOutcome & { ok: true }): void;
  reject(error: Error): void;
}

type NewRequest = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

export class WorkerConnection implements SQLiteConnection {
  private readonly waiting = new Map<number, Waiting>();
  /** Requests made since the microtask queue last drained, posted together as one message. */
  private unsent: WorkerRequest[] = [];
  private nextId = 0;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;

  /** Settles once the worker has opened the database (or failed to). */
  private readonly opened: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
  ) {
    let opened!: () => void;
    let notOpened!: (error: Error) => void;
    this.opened = new Promise<void>((resolve, reject) => {
      opened = resolve;
      notOpened = reject;
    });
    port.on('message', (message: WorkerMessage) => {
      if (message.kind === 'outcomes') this.settleInTurns(message.outcomes);
      else if (message.kind === 'ready') opened();
      else if (message.kind === 'failed') notOpened(deserializeError(message.error));
    });
    // Listening from the start, so a worker that dies at any point is noticed.
    worker.on('error', (error) => {
      notOpened(error);
      this.fail(error);
    });
    worker.on('exit', (code) => {
      notOpened(new Error(`the SQLite worker thread exited (code ${code}) before opening the database`));
      this.fail(new Error(`the SQLite worker thread exited (code ${code})`));
    });
  }

  /** Starts the worker and resolves once it has opened the database. */
  static async open(options: Omit<WorkerOptions, 'port'>): Promise<WorkerConnection> {
    const { port1, port2 } = new MessageChannel();
    const script = workerScript();
    const worker = new Worker(script.url, {
      workerData: { ...options, port: port2 } satisfies WorkerOptions,
      transferList: [port2],
      execArgv: script.execArgv,
    });
    const connection = new WorkerConnection(worker, port1);
    try {
      await connection.opened;
    } catch (error) {
      connection.failure ??= error as Error;
      await worker.terminate();
      port1.close();
      throw error;
    }
    connection.idle();
    return connection;
  }

  get broken(): boolean {
    return this.failure !== undefined && this.closing === undefined;
  }

  async read(statement: SQLStatement): Promise<SQLRow[]> {
    const outcome = await this.request({ kind: 'read', statement });
    return 'rows' in outcome ? outcome.rows : [];
  }

  async write(statements: SQLStatement[]): Promise<number[]> {
    const outcome = await this.request({ kind: 'write', statements });
    return 'changes' in outcome ? outcome.changes : [];
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    if (this.failure) return;
    // Requests already posted are answered before the close: the port is first in, first out.
    const closed = new Promise<void>((resolve) => {
      this.port.on('message', (message: WorkerMessage) => {
        if (message.kind === 'closed') resolve();
      });
      this.worker.once('exit', () => resolve());
    });
    this.busy();
    this.send();
    this.port.postMessage([{ id: this.nextId++, kind: 'close' }] satisfies WorkerRequest[]);
    await closed;
    this.failure = new Error('the SQLite connection is closed');
    await this.worker.terminate();
    this.port.close();
  }

  private request(request: NewRequest): Promise<WorkerOutcome & { ok: true }> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.waiting.size === 0) this.busy();
      this.waiting.set(id, { resolve, reject });
      if (this.unsent.length === 0) queueMicrotask(() => this.send());
      this.unsent.push({ ...request, id } as WorkerRequest);
    });
  }

  /**
   * One message per drain of the microtask queue: callers resumed by the same
   * commit ask again before it ends, so their requests reach the worker
   * together and share the next commit, and the worker is woken once rather
   * than once per request. (Requests that still arrive separately are
   * gathered by the worker, which takes everything queued on its port.)
   */
  private send(): void {
    const requests = this.unsent;
    this.unsent = [];
    if (this.failure) return;
    this.port.postMessage(requests);
  }

  /**
   * A commit can answer hundreds of waiting streams at once. Settling them
   * all in one go would run every one of those streams' next steps before
   * the event loop reads another socket (a health check, a new request), so
   * they are settled through the runtime's turn queue (event-loop-slice.ts),
   * which gives the loop back whenever a slice of work has run long.
   */
  private settleInTurns(outcomes: readonly WorkerOutcome[]): void {
    // A handful (a few conversations, one caller awaiting each write) costs
    // too little to queue: the queue would only add a turn of latency per commit.
    if (outcomes.length <= FEW_OUTCOMES && !sliceSpent()) {
      for (const outcome of outcomes) this.settle(outcome);
      return;
    }
    for (const outcome of outcomes) later(() => this.settle(outcome));
  }

  private settle(outcome: WorkerOutcome): void {
    const waiting = this.waiting.get(outcome.id);
    if (!waiting) return;
    this.waiting.delete(outcome.id);
    if (outcome.ok) waiting.resolve(outcome);
    else waiting.reject(deserializeError(outcome.error));
    if (this.waiting.size === 0 && !this.closing) this.idle();
  }

  /** The worker died: nothing more will be answered, so everyone waiting hears it now. */
  private fail(cause: Error): void {
    if (this.failure) return;
    this.failure = new Error(`SQLiteStore: ${cause.message}; unacknowledged writes were not committed`, { cause });
    for (const waiting of this.waiting.values()) waiting.reject(this.failure);
    this.waiting.clear();
    this.idle();
  }

  // An idle store must not keep the process alive (the driver it replaces had no handles);
  // one with requests in flight must, or their promises would never settle.
  private busy(): void {
    this.worker.ref();
    this.port.ref();
  }

  private idle(): void {
    this.worker.unref();
    this.port.unref();
  }
}

/**
 * The worker's file next to this one: `worker.js` in the built package,
 * `worker.ts` from the sources (tests, benchmarks), which Node runs with its
 * own type stripping, or through tsx where it has none. The worker needs no
 * flags of the parent's (`--import tsx` would only slow its start).
 *
 * Worked out when a worker starts, not when this module loads: SQLiteStore
 * imports it on runtimes that never start one (a Cloudflare Worker reaching
 * a libSQL server), where the bundle has no `import.meta.url`.
 */
function workerScript(): { url: URL; execArgv: string[] } {
  if (!import.meta.url.endsWith('.ts')) return { url: new URL('./worker.js', import.meta.url), execArgv: [] };
  const url = new URL('./worker.ts', import.meta.url);
  if (process.features.typescript) return { url, execArgv: [] };
  return { url, execArgv: ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] };
}
