/**
 * Where a SQLiteStore keeps its data, worked out from the `url` option:
 * a local file (the default `file:.data/chatkit.db`, or any path), an
 * in-memory database, or a libSQL server.
 */
export const DEFAULT_SQLITE_URL = 'file:.data/chatkit.db';

export type SQLiteLocation =
  | { kind: 'file'; url: string; path: string }
  | { kind: 'memory'; url: string }
  | { kind: 'remote'; url: string };

const REMOTE_SCHEMES = ['libsql:', 'http:', 'https:', 'ws:', 'wss:'];

export function resolveSQLiteLocation(url: string = DEFAULT_SQLITE_URL): SQLiteLocation {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new TypeError(`SQLiteStore: url must be a non-empty string (default ${DEFAULT_SQLITE_URL})`);
  }
  if (url === ':memory:' || url === 'file::memory:') return { kind: 'memory', url: ':memory:' };
  const scheme = /^([a-z][a-z0-9+.-]*:)/i.exec(url)?.[1]?.toLowerCase();
  if (scheme && REMOTE_SCHEMES.includes(scheme)) return { kind: 'remote', url };
  if (scheme === 'file:') return { kind: 'file', url, path: filePathOf(url) };
  // A single letter before the colon is a Windows drive (C:\data\chat.db), not a scheme.
  if (scheme && scheme.length > 2) {
    throw new TypeError(
      `SQLiteStore: unsupported url scheme "${scheme}"; use a file path, "file:<path>", ":memory:", ` +
        `or a libSQL server URL (libsql://, http(s)://, ws(s)://). For PostgreSQL use PostgresStore.`,
    );
  }
  return { kind: 'file', url: fileUrlOf(url), path: url };
}

/** libSQL percent-decodes file URLs, so a plain path is encoded segment by segment (`#`, `%`, spaces). */
function fileUrlOf(path: string): string {
  const parts = path.split(/([\\/])/);
  return `file:${parts.map((part, i) => (i % 2 === 1 ? part : encodeURIComponent(part))).join('')}`;
}

/** `file:rel/x.db`, `file:/abs/x.db`, `file:///abs/x.db`, `file://localhost/abs/x.db` → the path. */
function filePathOf(url: string): string {
  let rest = url.slice('file:'.length).replace(/[?#].*$/, '');
  if (rest.startsWith('//')) rest = rest.slice(2).replace(/^[^/]*/, '');
  return decodeURIComponent(rest);
}
