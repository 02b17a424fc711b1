/** The README's set-up creates the store tests' database when the server has none by that name. */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_URL, requirePostgres } from '../stores/support/postgres.js';

const run = promisify(execFile);
const name = `setup_probe_${randomBytes(4).toString('hex')}`;
const serverUrl = DATABASE_URL.replace(/\/[^/?]*(\?.*)?$/, '');
const probeUrl = `${serverUrl}/${name}`;

async function exists(database: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  const client = new pg.Client({ connectionString: `${serverUrl}/postgres` });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}"`);
  await client.end();
});

describe('scripts/setup-database.sh', () => {
  it('creates a missing database once, then leaves it alone', async () => {
    await requirePostgres();
    expect(await exists(name)).toBe(false);
    const first = await run('bash', ['scripts/setup-database.sh', probeUrl]);
    expect(first.stdout).toContain(`creating the database "${name}"`);
    expect(await exists(name)).toBe(true);
    const second = await run('bash', ['scripts/setup-database.sh', probeUrl]);
    expect(second.stdout).toBe('');
  });

  it('says which URL it cannot reach and fails', async () => {
    const failed = await run('bash', ['scripts/setup-database.sh', 'postgres://postgres@127.0.0.1:1/none']).catch((error) => error);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/cannot connect to postgres:\/\/postgres@127\.0\.0\.1:1\/none .*check DATABASE_URL/);
  });
});
