/**
 * A small libSQL server for tests: the Hrana-over-HTTP protocol (v2, JSON)
 * that `@libsql/client` speaks to `http://` URLs, executing every statement
 * on a real SQLite file. It lets SQLiteStore's remote mode run the whole
 * contract suite without a network or a `sqld` binary.
 *
 * Each stream (a `baton`) owns its own connection, as on a real server, so
 * a batch's transaction is isolated from other requests.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'libsql';

type Connection = InstanceType<typeof Database>;
type ProtoValue =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };

interface ProtoStmt {
  sql?: string;
  sql_id?: number;
  args?: ProtoValue[];
  named_args?: { name: string; value: ProtoValue }[];
  want_rows?: boolean;
}

type ProtoCond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: ProtoCond }
  | { type: 'and' | 'or'; conds: ProtoCond[] }
  | { type: 'is_autocommit' };

type StreamRequest =
  | { type: 'close' }
  | { type: 'execute'; stmt: ProtoStmt }
  | { type: 'batch'; batch: { steps: { condition?: ProtoCond; stmt: ProtoStmt }[] } }
  | { type: 'sequence'; sql?: string; sql_id?: number }
  | { type: 'store_sql'; sql_id: number; sql: string }
  | { type: 'close_sql'; sql_id: number }
  | { type: 'get_autocommit' };

/** A stream: its connection and the SQL texts the client stored under ids (`store_sql`). */
interface Stream {
  db: Connection;
  sqls: Map<number, string>;
}

function sqlOf(stream: Stream, stmt: { sql?: string; sql_id?: number }): string {
  if (stmt.sql !== undefined) return stmt.sql;
  const sql = stmt.sql_id === undefined ? undefined : stream.sqls.get(stmt.sql_id);
  if (sql === undefined) throw new Error(`unknown sql_id ${String(stmt.sql_id)}`);
  return sql;
}

function fromProto(value: ProtoValue): unknown {
  switch (value.type) {
    case 'null':
      return null;
    case 'integer':
      return BigInt(value.value);
    case 'float':
      return value.value;
    case 'text':
      return value.value;
    case 'blob':
      return Buffer.from(value.base64, 'base64');
  }
}

function toProto(value: unknown): ProtoValue {
  if (value === null || value === undefined) return { type: 'null' };
  if (typeof value === 'bigint') return { type: 'integer', value: value.toString() };
  if (typeof value === 'number') return Number.isInteger(value) ? { type: 'integer', value: String(value) } : { type: 'float', value };
  if (typeof value === 'string') return { type: 'text', value };
  if (Buffer.isBuffer(value)) return { type: 'blob', base64: value.toString('base64') };
  throw new Error(`cannot encode ${typeof value}`);
}

function execute(stream: Stream, stmt: ProtoStmt) {
  const statement = stream.db.prepare(sqlOf(stream, stmt));
  statement.safeIntegers(true);
  const named = stmt.named_args ?? [];
  const args: unknown[] | Record<string, unknown> =
    named.length > 0
      ? Object.fromEntries(named.map(({ name, value }) => [name.replace(/^[:@$]/, ''), fromProto(value)]))
      : (stmt.args ?? []).map(fromProto);
  const params = Array.isArray(args) ? args : [args];
  if (statement.reader) {
    statement.raw(true);
    const cols = statement.columns().map((column) => ({ name: column.name, decltype: column.type }));
    const rows = (statement.all(...params) as unknown[][]).map((row) => row.map(toProto));
    return { cols, rows, affected_row_count: 0, last_insert_rowid: null };
  }
  const info = statement.run(...params);
  return { cols: [], rows: [], affected_row_count: info.changes, last_insert_rowid: String(info.lastInsertRowid) };
}

function protoError(error: unknown) {
  const e = error as { message?: string; code?: string };
  return { message: e.message ?? String(error), code: e.code ?? 'SQLITE_ERROR' };
}

function runBatch(stream: Stream, steps: { condition?: ProtoCond; stmt: ProtoStmt }[]) {
  const results: unknown[] = [];
  const errors: unknown[] = [];
  const holds = (cond: ProtoCond): boolean => {
    switch (cond.type) {
      case 'ok':
        return results[cond.step] != null;
      case 'error':
        return errors[cond.step] != null;
      case 'not':
        return !holds(cond.cond);
      case 'and':
        return cond.conds.every(holds);
      case 'or':
        return cond.conds.some(holds);
      case 'is_autocommit':
        return !stream.db.inTransaction;
    }
  };
  for (const step of steps) {
    if (step.condition && !holds(step.condition)) {
      results.push(null);
      errors.push(null);
      continue;
    }
    try {
      results.push(execute(stream, step.stmt));
      errors.push(null);
    } catch (error) {
      results.push(null);
      errors.push(protoError(error));
    }
  }
  return { step_results: results, step_errors: errors };
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface HranaServer {
  url: string;
  close(): Promise<void>;
}

export async function startHranaServer(path: string): Promise<HranaServer> {
  const streams = new Map<string, Stream>();
  const server: Server = createServer(async (request, response) => {
    const send = (status: number, payload: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(payload));
    };
    if (request.method === 'GET') return request.url === '/v2' ? send(200, {}) : send(404, { message: 'not found' });
    if (request.method !== 'POST' || request.url !== '/v2/pipeline') return send(404, { message: 'not found' });
    const { baton, requests } = JSON.parse(await body(request)) as { baton?: string | null; requests: StreamRequest[] };
    const id = baton ?? randomUUID();
    let stream = streams.get(id);
    if (!stream) {
      if (baton) return send(400, { message: `unknown baton ${baton}` });
      stream = { db: new Database(path, { timeout: 5000 }), sqls: new Map() };
      streams.set(id, stream);
    }
    const current = stream;
    const results = requests.map((req) => {
      try {
        switch (req.type) {
          case 'close':
            current.db.close();
            streams.delete(id);
            return { type: 'ok', response: { type: 'close' } };
          case 'execute':
            return { type: 'ok', response: { type: 'execute', result: execute(current, req.stmt) } };
          case 'batch':
            return { type: 'ok', response: { type: 'batch', result: runBatch(current, req.batch.steps) } };
          case 'sequence':
            current.db.exec(sqlOf(current, req));
            return { type: 'ok', response: { type: 'sequence' } };
          case 'store_sql':
            current.sqls.set(req.sql_id, req.sql);
            return { type: 'ok', response: { type: 'store_sql' } };
          case 'close_sql':
            current.sqls.delete(req.sql_id);
            return { type: 'ok', response: { type: 'close_sql' } };
          case 'get_autocommit':
            return { type: 'ok', response: { type: 'get_autocommit', is_autocommit: !current.db.inTransaction } };
          default:
            return { type: 'error', error: { message: `unsupported request ${JSON.stringify(req)}`, code: 'UNSUPPORTED' } };
        }
      } catch (error) {
        return { type: 'error', error: protoError(error) };
      }
    });
    send(200, { baton: streams.has(id) ? id : null, base_url: null, results });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const stream of streams.values()) stream.db.close();
      streams.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
