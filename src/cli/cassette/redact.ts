/**
 * Redaction on write: only allowlisted headers survive, and every string in a
 * body is scrubbed of secret patterns. Returns which redactions fired so the
 * cassette header can say so.
 */
import { secretPatterns, type SecretOptions, type SecretPattern } from './secrets.js';

/** Headers worth keeping for debugging; everything else (authorization, cookies, api keys, org ids) is dropped. */
const HEADER_ALLOWLIST: ReadonlySet<string> = new Set([
  'content-type',
  'accept',
  'accept-language',
  'x-request-id',
  'openai-processing-ms',
  // What the provider client's retry logic reads: without them a recorded 429 replays differently.
  'retry-after',
  'retry-after-ms',
  'x-should-retry',
]);

/** Rate-limit headers (`x-ratelimit-remaining-requests`…): counts, never credentials. */
const HEADER_PREFIX_ALLOWLIST = ['x-ratelimit-'];

export class Redactor {
  readonly applied = new Set<string>(['header-allowlist']);
  private readonly patterns: SecretPattern[];

  constructor(options: SecretOptions = {}) {
    this.patterns = secretPatterns(options);
  }

  headers(headers: Headers | Record<string, string> | undefined): Record<string, string> {
    const kept: Record<string, string> = {};
    const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers ?? {});
    for (const [name, value] of entries) {
      const lower = name.toLowerCase();
      if (HEADER_ALLOWLIST.has(lower) || HEADER_PREFIX_ALLOWLIST.some((prefix) => lower.startsWith(prefix))) kept[lower] = this.text(value);
    }
    return kept;
  }

  text(value: string): string {
    let result = value;
    for (const pattern of this.patterns) {
      pattern.regex.lastIndex = 0;
      if (!pattern.regex.test(result)) continue;
      this.applied.add(pattern.name);
      pattern.regex.lastIndex = 0;
      result = result.replace(pattern.regex, (match) =>
        pattern.name === 'client-secret' ? match.replace(/:\s*(\\?")[^"\\]*$/, ':$1[REDACTED]') : `[REDACTED:${pattern.name}]`,
      );
    }
    return result;
  }

  /** Deep-scrub a JSON value (strings only; keys are left alone). */
  value<T>(value: T): T {
    return this.walk(value) as T;
  }

  private walk(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((entry) => this.walk(entry));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, entry] of Object.entries(value)) {
        out[key] = /^(client_secret|api_key|apikey|password|secret)$/i.test(key) && typeof entry === 'string'
          ? this.markKey(key)
          : this.walk(entry);
      }
      return out;
    }
    return value;
  }

  private markKey(key: string): string {
    this.applied.add(`field:${key.toLowerCase()}`);
    return '[REDACTED]';
  }
}
