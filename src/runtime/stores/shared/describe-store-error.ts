/**
 * Why a store could not start, in one message that says what to do: no
 * server answers, the database does not exist (and how to create it), the
 * credentials were refused, or the SQLite file's directory cannot be
 * written. The driver's own words come last, once; connection strings are
 * named without their password. Pure: the error and where in, an error out.
 */
import { redactConnectionString } from './redact.js';

export type StoreFailureKind = 'unreachable' | 'missing-database' | 'credentials' | 'unwritable' | 'other';

/** A store that cannot work, raised by `migrate()` (and so on first use). */
export class StoreStartupError extends Error {
  override readonly name = 'StoreStartupError';
  constructor(
    message: string,
    readonly kind: StoreFailureKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

interface DriverError {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** Codes from the error and its causes (pg wraps socket errors; AggregateError holds one per address). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  const visit = (value: unknown, depth: number) => {
    if (!value || typeof value !== 'object' || depth > 5) return;
    const { code, cause, errors } = value as DriverError;
    if (typeof code === 'string') codes.push(code);
    visit(cause, depth + 1);
    if (Array.isArray(errors)) for (const inner of errors) visit(inner, depth + 1);
  };
  visit(error, 0);
  return codes;
}

function driverMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = codesOf(error)[0];
  return message !== '' ? message : (code ?? 'unknown error');
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

/** A PostgresStore's connect or migrate failure. `connectionString` is undefined for a pool passed in. */
export function describePostgresStartupError(error: unknown, connectionString: string | undefined, source: string): StoreStartupError {
  const codes = codesOf(error);
  const detail = driverMessage(error);
  let url: URL | undefined;
  try {
    url = connectionString ? new URL(connectionString) : undefined;
  } catch {
    url = undefined;
  }
  const where = connectionString ? `${redactConnectionString(connectionString)}${source === 'DATABASE_URL' ? ' (from DATABASE_URL)' : ''}` : 'the given pool';
  const host = url ? `${url.hostname || 'localhost'}:${url.port || '5432'}` : 'the server';
  const database = url ? decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined : undefined;
  const user = url?.username ? decodeURIComponent(url.username) : undefined;
  const prefix = `PostgresStore could not connect to ${where}`;

  // SQLSTATE 3D000: invalid_catalog_name.
  if (codes.includes('3D000')) {
    const name = database ?? /database "([^"]+)"/.exec(detail)?.[1] ?? '<name>';
    const flags = url ? `-h ${url.hostname || 'localhost'} -p ${url.port || '5432'}${user ? ` -U ${user}` : ''} ` : '';
    return new StoreStartupError(
      `${prefix}: database "${name}" does not exist on ${host}. Create it with \`createdb ${flags}${name}\` ` +
        `(or \`CREATE DATABASE "${name}";\` in psql), or point ${source === 'DATABASE_URL' ? 'DATABASE_URL' : 'connectionString'} at an existing database.`,
      'missing-database',
      { cause: error },
    );
  }
  // 28P01: invalid_password; 28000: invalid_authorization_specification (no such role, pg_hba rejects).
  if (codes.includes('28P01') || codes.includes('28000')) {
    return new StoreStartupError(
      `${prefix}: the server refused the credentials${user ? ` of user "${user}"` : ''} (${detail}). Check the user and password.`,
      'credentials',
      { cause: error },
    );
  }
  if (codes.some((code) => UNREACHABLE.has(code)) || /timeout expired|timeout exceeded|Connection terminated/i.test(detail)) {
    return new StoreStartupError(
      `${prefix}: no PostgreSQL server answers at ${host} (${codes.find((code) => UNREACHABLE.has(code)) ?? detail}). Start it, or fix the host and port.`,
      'unreachable',
      { cause: error },
    );
  }
  return new StoreStartupError(`${prefix}: ${detail}`, 'other', { cause: error });
}

/** A SQLiteStore's open or migrate failure; `path` is the file for a local database. */
export function describeSQLiteStartupError(error: unknown, location: { kind: string; url: string; path?: string }): StoreStartupError {
  const codes = codesOf(error);
  const detail = driverMessage(error);
  if (location.kind === 'file' && (codes.some((code) => ['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EEXIST', 'SQLITE_CANTOPEN', 'SQLITE_READONLY', 'SQLITE_PERM'].includes(code)) || /unable to open|readonly/i.test(detail))) {
    return new StoreStartupError(
      `SQLite cannot write ${location.path}: its directory is missing or not writable (${codes[0] ?? detail}). ` +
        'Make the directory writable, or set CHATKIT_SQLITE_URL to a file in a writable directory (":memory:" keeps nothing).',
      'unwritable',
      { cause: error },
    );
  }
  const where = location.kind === 'file' ? location.path! : redactConnectionString(location.url);
  if (location.kind === 'remote' && codes.some((code) => UNREACHABLE.has(code))) {
    return new StoreStartupError(`No libSQL server answers at ${where} (${codes.find((code) => UNREACHABLE.has(code))}): start it, or fix CHATKIT_SQLITE_URL.`, 'unreachable', { cause: error });
  }
  return new StoreStartupError(`SQLiteStore could not open ${where}: ${detail}`, 'other', { cause: error });
}
