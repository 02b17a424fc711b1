/**
 * PostgreSQL for tests: the server named by DATABASE_URL (default the local
 * one), a unique schema per store so parallel runs never collide, and a clear
 * failure, never a skip, when the server cannot be reached.
 */
import pg from 'pg';

export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let reachable: Promise<void> | undefined;

/** Rejects with a message naming DATABASE_URL when PostgreSQL is not there. */
export function requirePostgres(): Promise<void> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 5000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (error) {
      throw new Error(
        `PostgreSQL is not reachable at DATABASE_URL=${DATABASE_URL.replace(/:[^:@/]*@/, ':***@')} ` +
          `(${(error as Error).message}). Start it (bash .ci/run does) or point DATABASE_URL at a reachable server.`,
      );
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return reachable;
}

let counter = 0;
const runId = `${process.pid}_${Date.now().toString(36)}`;

/** A schema name no other test (or test run) uses. */
export function uniqueSchema(label = 'store'): string {
  return `ckt_${label}_${runId}_${++counter}`;
}

/** Runs SQL on a short-lived connection (fixtures, assertions, clean-up). */
export async function withClient<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  await requirePostgres();
  const client = new pg.Client({ connectionString: DATABASE_URL });
  client.on('error', () => {});
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export async function dropSchemas(schemas: Iterable<string>): Promise<void> {
  const names = [...schemas];
  if (names.length === 0) return;
  await withClient(async (client) => {
    for (const name of names) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  });
}
