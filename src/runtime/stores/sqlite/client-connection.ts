/**
 * A `SQLiteConnection` over `@libsql/client`, for libSQL servers
 * (`libsql://`, `http(s)://`, `ws(s)://`): the driver's network I/O is
 * asynchronous, so it does not hold up the event loop.
 *
 * For a local file this driver runs every statement, fsync included, on the
 * calling thread; `SQLiteStore` therefore uses the worker connection for
 * files, and the benchmark keeps this path only to measure the difference.
 */
import { createClient, type Client } from '@libsql/client';
import type { SQLRow, SQLStatement, SQLiteConnection } from './connection.js';

export class ClientConnection implements SQLiteConnection {
  private constructor(private readonly client: Client) {}

  static async open(options: { url: string; authToken?: string; busyTimeoutMs: number }): Promise<ClientConnection> {
    return new ClientConnection(createClient({ url: options.url, authToken: options.authToken, timeout: options.busyTimeoutMs }));
  }

  async read(statement: SQLStatement): Promise<SQLRow[]> {
    return (await this.client.execute(asClientStatement(statement))).rows as unknown as SQLRow[];
  }

  async write(statements: SQLStatement[]): Promise<number[]> {
    if (statements.length === 1) return [(await this.client.execute(asClientStatement(statements[0]!))).rowsAffected];
    const results = await this.client.batch(statements.map(asClientStatement), 'write');
    return results.map((result) => result.rowsAffected);
  }

  async close(): Promise<void> {
    this.client.close();
  }
}

function asClientStatement(statement: SQLStatement) {
  return statement.args ? { sql: statement.sql, args: statement.args } : statement.sql;
}
