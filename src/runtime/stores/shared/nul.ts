/**
 * PostgreSQL `text` cannot hold U+0000 (the driver fails with "invalid byte
 * sequence for encoding UTF8: 0x00"). A key containing it can therefore never
 * have been stored: lookups by such an id, cursor or owner match nothing,
 * exactly as the other stores answer, instead of failing in the driver.
 * (Inside JSON data NUL is written as the escape `\u0000`, which a `json`
 * column keeps.)
 */
export function hasNul(value: string | null | undefined): boolean {
  return typeof value === 'string' && value.includes('\u0000');
}
