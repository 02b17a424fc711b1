/** A cassette that is missing, unreadable, malformed or holds a secret: replay exits 2. */
export class CassetteError extends Error {
  override readonly name = 'CassetteError';
}
