/**
 * What `dev` prints when the app is up: where it listens, what it talks to,
 * what to paste into the frontend, and what will break in the browser. Pure.
 */
import chalk from 'chalk';
import { PROVIDERS, isProviderId, OPENAI_DEFAULT_MODEL } from '../../runtime/providers/provider-config.js';
import { PLACEHOLDER_DOMAIN_KEYS } from '../doctor/frontend-snippet.js';
import type { FrontendDomainKey } from './frontend-domain-key.js';
import { redactConnectionString } from '../../runtime/stores/shared/redact.js';
import { urlWithoutCredentials } from '../cassette/url-without-credentials.js';
import { isPlaceholderKey } from '../project/placeholder-key.js';

export interface BannerInput {
  url: string;
  chatkitPath: string;
  env: Record<string, string | undefined>;
  /** Constructor name of the server's store, when visible. */
  storeName?: string;
  recordDir?: string;
  /** The frontend snippet's domain key, when the project has one (see frontend-domain-key.ts). */
  frontendDomainKey?: FrontendDomainKey;
  /** Whether the project has a `frontend/` (a `--frontend none` project has no domain key to warn about). */
  hasFrontend?: boolean;
  /** What the plugin actually allows (`app.chatkit.corsOrigins`); falls back to CHATKIT_CORS_ORIGINS. */
  corsOrigins?: readonly string[] | '*';
  /** Where the plugin serves the browser playground (`app.chatkit.playgroundPath`), when it does. */
  playgroundPath?: string | undefined;
}

export interface Banner {
  lines: string[];
  warnings: string[];
}

function describeStore(storeName: string | undefined, env: Record<string, string | undefined>): string {
  if (!storeName) return 'unknown';
  if (/postgres/i.test(storeName)) return `PostgreSQL (${redactDatabaseUrl(env.DATABASE_URL)})`;
  if (/sqlite/i.test(storeName)) return `SQLite (${describeSqliteUrl(env.CHATKIT_SQLITE_URL)})`;
  if (/memory/i.test(storeName)) return 'in memory (threads are lost on restart)';
  return storeName;
}

/** The file or server, without credentials (`libsql://…?authToken=` carries one in the query). */
function describeSqliteUrl(url: string | undefined): string {
  if (!url || url === 'file:.data/chatkit.db') return '.data/chatkit.db';
  if (url === ':memory:') return ':memory:, nothing is kept';
  if (url.startsWith('file:')) return url.slice('file:'.length);
  return urlWithoutCredentials(url) ?? 'CHATKIT_SQLITE_URL is not a URL';
}

function redactDatabaseUrl(url: string | undefined): string {
  return url ? redactConnectionString(url) : 'DATABASE_URL not set';
}

export function buildBanner(input: BannerInput): Banner {
  const { env } = input;
  const providerName = env.CHATKIT_MODEL_PROVIDER || 'openai';
  const provider = isProviderId(providerName) ? PROVIDERS[providerName] : undefined;
  const model = env.CHATKIT_MODEL || provider?.defaultModel || (providerName === 'openai' ? OPENAI_DEFAULT_MODEL : '(not set)');
  const origins =
    input.corsOrigins === '*'
      ? ['*']
      : input.corsOrigins
        ? [...input.corsOrigins]
        : (env.CHATKIT_CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  const apiUrl = `${input.url}${input.chatkitPath}`;
  const snippet = input.frontendDomainKey;

  const lines = [
    `${chalk.bold('ChatKit backend')} listening on ${chalk.cyan(input.url)}`,
    ...(input.playgroundPath ? [`  playground ${chalk.cyan(`${input.url}${input.playgroundPath}`)} ${chalk.dim('(chat with this backend in the browser, offline)')}`] : []),
    `  model     ${providerName} / ${model}${providerName === 'scripted' ? chalk.dim(` (script: ${env.CHATKIT_SCRIPT?.trim() || 'none, it echoes'})`) : ''}`,
    `  store     ${describeStore(input.storeName, env)}`,
    `  CORS      ${origins.length ? origins.join(', ') : chalk.yellow('no origins')}`,
    `  frontend  api: { url: '${apiUrl}', domainKey: ${snippet?.expression ?? 'import.meta.env.VITE_CHATKIT_DOMAIN_KEY'} }${snippet ? chalk.dim(` (${snippet.file})`) : ''}`,
    ...(input.recordDir ? [`  recording sessions to ${input.recordDir}/`] : []),
  ];

  const warnings: string[] = [];
  if (!provider) warnings.push(`CHATKIT_MODEL_PROVIDER=${providerName} is not a known provider (use openai, gemini, openai-compatible or scripted)`);
  else if (provider.keyRequired && !provider.keyVariables.some((name) => env[name]?.trim())) {
    warnings.push(`no API key for ${providerName}: set ${provider.keyVariables.join(' or ')} in .env, or every reply will fail (CHATKIT_MODEL_PROVIDER=scripted works offline)`);
  } else {
    const placeholder = provider.keyVariables.find((name) => env[name]?.trim() && isPlaceholderKey(env[name]!));
    if (placeholder) warnings.push(`${placeholder} is ${JSON.stringify(env[placeholder]!.trim())}, a placeholder, not a real key: every reply will fail. Put your key in .env (or use CHATKIT_MODEL_PROVIDER=scripted offline)`);
  }
  if (origins.length === 0) {
    warnings.push('no CORS origin configured: a frontend served from another origin (e.g. http://localhost:5173) will be blocked by the browser. Set CHATKIT_CORS_ORIGINS in .env');
  }
  if (snippet || input.hasFrontend !== false) {
    const domainKeyWarning = describeDomainKeyProblem(snippet ?? { value: env.VITE_CHATKIT_DOMAIN_KEY || null, source: 'VITE_CHATKIT_DOMAIN_KEY is not set' });
    if (domainKeyWarning) warnings.push(domainKeyWarning);
  }
  return { lines, warnings };
}

/** What the browser will get from the domain key the frontend sends: nothing, a placeholder, or fine (undefined). */
function describeDomainKeyProblem(key: Pick<FrontendDomainKey, 'value' | 'source'>): string | undefined {
  if (key.value === null) return `the frontend has no domain key (${key.source}): ChatKit.js will not start without one. Set VITE_CHATKIT_DOMAIN_KEY (domain_pk_localhost_dev works on localhost)`;
  if (PLACEHOLDER_DOMAIN_KEYS.has(key.value)) return `the domain key is the placeholder ${key.value}: fine on localhost, but register your domain in the allowlist and set VITE_CHATKIT_DOMAIN_KEY before deploying`;
  return undefined;
}

export function formatBanner(banner: Banner): string {
  return [...banner.lines, ...banner.warnings.map((w) => chalk.yellow(`  ⚠ ${w}`))].join('\n') + '\n';
}
