/**
 * Secret patterns shared by the redactor (scrubs them before writing) and the
 * scanner (refuses to write or read a cassette that still contains one).
 * Messages name the pattern, never the matched text.
 */

import { SECRET_PATTERNS, type SecretPattern } from '../../runtime/redact.js';

export { SECRET_PATTERNS, type SecretPattern };

/** Domain keys are public-ish but project specific; the development placeholder is fine to keep. */
export const PLACEHOLDER_DOMAIN_KEY = 'domain_pk_localhost_dev';
const DOMAIN_KEY_PATTERN: SecretPattern = {
  name: 'domain-key',
  description: 'a ChatKit domain key (domain_pk_…)',
  regex: /\bdomain_pk_(?!localhost_dev\b)[A-Za-z0-9_]{6,}/g,
};

export interface SecretOptions {
  /** Also treat `domain_pk_…` values (other than the development placeholder) as secrets. */
  domainKeys?: boolean;
  /** Literal values that must never be written (the configured API keys, JWT secret, …). */
  literals?: readonly string[];
}

export function secretPatterns(options: SecretOptions = {}): SecretPattern[] {
  const patterns = [...SECRET_PATTERNS];
  if (options.domainKeys) patterns.push(DOMAIN_KEY_PATTERN);
  for (const literal of options.literals ?? []) {
    // Short values (e.g. "test", "1") would match ordinary text everywhere.
    if (literal.length < 8) continue;
    patterns.push({
      name: 'configured-secret',
      description: 'the value of a configured secret environment variable',
      regex: new RegExp(escapeRegExp(literal), 'g'),
    });
  }
  return patterns;
}

/** Values of environment variables that hold secrets, for `literals`. */
export function configuredSecrets(env: NodeJS.ProcessEnv): string[] {
  const names = Object.keys(env).filter((name) => /(_API_KEY|_SECRET|_TOKEN|PASSWORD)$/i.test(name));
  const values = names.map((name) => env[name]).filter((value): value is string => typeof value === 'string');
  const dbUrl = env.DATABASE_URL;
  const password = dbUrl ? safeUrlPassword(dbUrl) : undefined;
  if (password) values.push(password);
  return values.filter((value) => value.length >= 8 && !/^(dummy|replay|test|placeholder)/i.test(value));
}

function safeUrlPassword(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface SecretFinding {
  /** 1-based line number in the cassette file. */
  line: number;
  pattern: string;
  description: string;
}

/** Scan cassette text line by line. Returns at most one finding per line and pattern. */
export function scanForSecrets(text: string, options: SecretOptions = {}): SecretFinding[] {
  const patterns = secretPatterns(options);
  const findings: SecretFinding[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    for (const pattern of patterns) {
      pattern.regex.lastIndex = 0;
      if (pattern.regex.test(line)) findings.push({ line: index + 1, pattern: pattern.name, description: pattern.description });
    }
  }
  return findings;
}

/** `outcome` says what happened to the file: a cassette being read is refused, one being written is not written. */
export function describeFindings(file: string, findings: SecretFinding[], outcome: 'refused' | 'not written' = 'refused'): string {
  const shown = findings.slice(0, 5).map((f) => `  line ${f.line}: ${f.description} [${f.pattern}]`);
  const more = findings.length > 5 ? [`  … and ${findings.length - 5} more`] : [];
  return [
    `${file} contains what looks like a secret, so it was ${outcome}:`,
    ...shown,
    ...more,
    'Remove the value (or re-record: recordings are redacted on write), and rotate the key if this file was ever shared.',
  ].join('\n');
}
