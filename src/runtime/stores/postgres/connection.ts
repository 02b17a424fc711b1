/**
 * Which PostgreSQL a PostgresStore talks to, and which schema it uses; both
 * validated up front with errors that say how to fix them.
 */
import { redactConnectionString } from '../shared/redact.js';

export interface ConnectionChoice {
  connectionString: string;
  /** Where it came from, for error messages. */
  source: 'options' | 'DATABASE_URL';
}

export function chooseConnectionString(fromOptions: string | undefined): ConnectionChoice {
  if (fromOptions !== undefined) {
    if (typeof fromOptions !== 'string' || fromOptions.trim() === '') {
      throw new TypeError('PostgresStore: connectionString must be a non-empty string such as postgres://user@host:5432/db');
    }
    return { connectionString: fromOptions, source: 'options' };
  }
  const fromEnv = process.env.DATABASE_URL;
  if (fromEnv && fromEnv.trim() !== '') return { connectionString: fromEnv, source: 'DATABASE_URL' };
  throw new TypeError(
    'PostgresStore: no database to connect to; pass { connectionString } or set DATABASE_URL ' +
      '(for example postgres://user:password@127.0.0.1:5432/chatkit)',
  );
}

export function describeConnection(choice: ConnectionChoice): string {
  const where = redactConnectionString(choice.connectionString);
  return choice.source === 'DATABASE_URL' ? `${where} (from DATABASE_URL)` : where;
}

/** Whether `name` is a schema name `PostgresStore` takes: letters, digits and underscores, at most 63, not starting with a digit. */
export function isPlainSchemaName(name: unknown): name is string {
  return typeof name === 'string' && /^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name);
}

/** A schema name, quoted for SQL. Only plain identifiers are accepted, so quoting cannot be escaped. */
export function quoteSchema(schema: string): string {
  if (!isPlainSchemaName(schema)) {
    throw new TypeError(
      `PostgresStore: schema must be a plain identifier (letters, digits, underscores; at most 63), got ${JSON.stringify(schema)}`,
    );
  }
  return `"${schema}"`;
}
