/**
 * The messages between `WorkerConnection` (event-loop side) and the database
 * worker. Plain data, copied by `postMessage`.
 */
import type { MessagePort } from 'node:worker_threads';
import type { SQLRow, SQLStatement, SQLiteSynchronous } from './connection.js';

export interface WorkerOptions {
  /** A filesystem path, or `:memory:`. */
  path: string;
  /** Whether to switch the file to WAL (not for `:memory:`). */
  wal: boolean;
  busyTimeoutMs: number;
  synchronous: SQLiteSynchronous;
  /** The port the requests arrive on and the outcomes leave by. */
  port: MessagePort;
}

export type WorkerRequest =
  | { id: number; kind: 'read'; statement: SQLStatement }
  | { id: number; kind: 'write'; statements: SQLStatement[] }
  | { id: number; kind: 'close' };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
}

export type WorkerOutcome =
  | { id: number; ok: true; rows: SQLRow[] }
  | { id: number; ok: true; changes: number[] }
  | { id: number; ok: false; error: SerializedError };

/** Posted by the worker: once when the database is open (or failed to open), then one per batch. */
export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'failed'; error: SerializedError }
  | { kind: 'outcomes'; outcomes: WorkerOutcome[] }
  | { kind: 'closed' };

/** The driver's error, rebuilt on this side of the thread boundary with its name and SQLite code. */
export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message) as Error & { code?: string };
  error.name = serialized.name;
  if (serialized.code !== undefined) error.code = serialized.code;
  return error;
}
