/**
 * A store that cannot work fails when it starts (`migrate()`, which generated
 * apps call in buildApp), with one message saying what is wrong and what to
 * do, against a real PostgreSQL and a real SQLite file: a missing database
 * (and how to create it), refused credentials, no server, an unwritable
 * SQLite directory. doctor reports it once, as the reason the app did not start.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/runtime/stores/postgres/index.js';
import { SQLiteStore } from '../../src/runtime/stores/sqlite/index.js';
import { StoreStartupError } from '../../src/runtime/stores/shared/describe-store-error.js';
import { checkOf, doctor, makeProject, REPO, type Fixture } from './support.js';

const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const server = new URL(DATABASE_URL);

async function startupError(store: { migrate(): Promise<void>; close(): Promise<void> }): Promise<StoreStartupError> {
  try {
    await store.migrate();
  } catch (error) {
    return error as StoreStartupError;
  } finally {
    await store.close();
  }
  throw new Error('migrate() succeeded');
}

describe('PostgresStore start-up failures', () => {
  it('a missing database: says so and how to create it', async () => {
    const url = new URL(DATABASE_URL);
    url.pathname = '/ccb_no_such_database';
    const error = await startupError(new PostgresStore({ connectionString: url.href }));
    expect(error).toBeInstanceOf(StoreStartupError);
    expect(error.kind).toBe('missing-database');
    expect(error.message).toContain(`database "ccb_no_such_database" does not exist on ${server.hostname}:${server.port || 5432}`);
    expect(error.message).toContain(`Create it with \`createdb -h ${server.hostname} -p ${server.port || 5432}${server.username ? ` -U ${server.username}` : ''} ccb_no_such_database\``);
    // Once, not twice on one line.
    expect(error.message.match(/does not exist/g)).toHaveLength(1);
  });

  it('refused credentials: names the user, never the password', async () => {
    const url = new URL(DATABASE_URL);
    url.username = 'ccb_no_such_role';
    url.password = 'hunter2-password';
    const error = await startupError(new PostgresStore({ connectionString: url.href }));
    expect(error.kind).toBe('credentials');
    expect(error.message).toContain('the server refused the credentials of user "ccb_no_such_role"');
    expect(error.message).not.toContain('hunter2');
  });

  it('no server: the host and port, and the socket error', async () => {
    const error = await startupError(new PostgresStore({ connectionString: 'postgres://app:secret-pw@127.0.0.1:1/chat' }));
    expect(error.kind).toBe('unreachable');
    expect(error.message).toBe('PostgresStore could not connect to postgres://app:***@127.0.0.1:1/chat: no PostgreSQL server answers at 127.0.0.1:1 (ECONNREFUSED). Start it, or fix the host and port.');
  });
});

describe('SQLiteStore start-up failures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-startup-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a directory that cannot be created or written: names the file and the variable to change', async () => {
    // `.data` is a file, so nothing can be created inside it (root ignores permission bits; this it cannot ignore).
    writeFileSync(join(dir, '.data'), 'not a directory');
    const error = await startupError(new SQLiteStore({ url: `file:${join(dir, '.data', 'chatkit.db')}` }));
    expect(error.kind).toBe('unwritable');
    expect(error.message).toBe(`SQLite cannot write ${join(dir, '.data', 'chatkit.db')}: its directory is missing or not writable (EEXIST). Make the directory writable, or set CHATKIT_SQLITE_URL to a file in a writable directory (":memory:" keeps nothing).`);
  });
});

describe('doctor and an app whose store cannot start', () => {
  let fixture: Fixture | undefined;
  afterAll(() => fixture?.remove());

  it('fails with the store message once, as the reason the app did not start', async () => {
    const url = new URL(DATABASE_URL);
    url.pathname = '/ccb_doctor_missing';
    fixture = makeProject({ '.env': `CHATKIT_MODEL_PROVIDER=scripted\nDATABASE_URL=${url.href}\n` });
    // The generated app's shape: the store is migrated in buildApp.
    fixture.write('src/app.ts', `
import Fastify from 'fastify';
import chatkit from '${pathToFileURL(join(REPO, 'src/http/index.ts')).href}';
import { ChatKitServer } from '${pathToFileURL(join(REPO, 'src/runtime/index.ts')).href}';
import { PostgresStore } from '${pathToFileURL(join(REPO, 'src/runtime/stores/postgres/index.ts')).href}';
class Echo extends ChatKitServer<any> { async *respond() {} }
export async function buildApp({ env = process.env } = {}) {
  const store = new PostgresStore({ connectionString: env.DATABASE_URL });
  await store.migrate();
  const app = Fastify({ logger: false });
  await app.register(chatkit, { server: new Echo(store) });
  return app;
}
`);
    const { code, stdout, report } = await doctor(['--json', '--cwd', fixture.dir, 'protocol', 'auth']);
    expect(code).toBe(1);
    expect(checkOf(report, 'protocol').message).toMatch(/^not probed, the app did not start: buildApp\(\) failed: PostgresStore could not connect to .*: database "ccb_doctor_missing" does not exist on .* Create it with `createdb /);
    const text = await doctor(['--cwd', fixture.dir, 'protocol', 'auth']);
    // The reason is on each skipped probe's line; its fix is printed once.
    expect(text.stdout.match(/fix: Fix the start-up error/g)).toHaveLength(1);
    expect(text.stdout).toContain('(details as for');
    expect(stdout).not.toContain('server log');
  });
});
