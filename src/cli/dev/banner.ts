/**
 * What `dev` prints when the app is up: where it listens, what it talks to,
 * what to paste into the frontend, and what will break in the browser. Pure.
 */
import chalk from 'chalk';
import { PROVIDERS, isProviderId, OPENAI_DEFAULT_MODEL } from '../../runtime/providers/provider-config.js';
import { PLACEHOLDER_DOMAIN_KEY } from '../cassette/secrets.js';

export interface BannerInput {
  url: string;
  chatkitPath: string;
  env: Record<string, string | undefined>;
  /** Constructor name of the server's store, when visible. */
  storeName?: string;
  recordDir?: string;
}

export interface Banner {
  lines: string[];
  warnings: string[];
}

export function describeStore(storeName: string | undefined, env: Record<string, string | undefined>): string {
  if (!storeName) return 'unknown';
  if (/postgres/i.test(storeName)) return `PostgreSQL (${redactDatabaseUrl(env.DATABASE_URL)})`;
  if (/sqlite/i.test(storeName)) return 'SQLite (.data/chatkit.db)';
  if (/memory/i.test(storeName)) return 'in memory (threads are lost on restart)';
  return storeName;
}

function redactDatabaseUrl(url: string | undefined): string {
  if (!url) return 'DATABASE_URL not set';
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL is not a URL';
  }
}

export function buildBanner(input: BannerInput): Banner {
  const { env } = input;
  const providerName = env.CHATKIT_MODEL_PROVIDER || 'openai';
  const provider = isProviderId(providerName) ? PROVIDERS[providerName] : undefined;
  const model = env.CHATKIT_MODEL || provider?.defaultModel || (providerName === 'openai' ? OPENAI_DEFAULT_MODEL : '(not set)');
  const origins = (env.CHATKIT_CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  const apiUrl = `${input.url}${input.chatkitPath}`;
  const domainKey = env.VITE_CHATKIT_DOMAIN_KEY;

  const lines = [
    `${chalk.bold('ChatKit backend')} listening on ${chalk.cyan(input.url)}`,
    `  model     ${providerName} / ${model}`,
    `  store     ${describeStore(input.storeName, env)}`,
    `  CORS      ${origins.length ? origins.join(', ') : chalk.yellow('no origins')}`,
    `  frontend  api: { url: '${apiUrl}', domainKey: import.meta.env.VITE_CHATKIT_DOMAIN_KEY }`,
    ...(input.recordDir ? [`  recording sessions to ${input.recordDir}/`] : []),
  ];

  const warnings: string[] = [];
  if (!provider) warnings.push(`CHATKIT_MODEL_PROVIDER=${providerName} is not a known provider (use openai, gemini, openai-compatible or scripted)`);
  else if (provider.keyRequired && !provider.keyVariables.some((name) => env[name])) {
    warnings.push(`no API key for ${providerName}: set ${provider.keyVariables.join(' or ')} in .env, or every reply will fail (CHATKIT_MODEL_PROVIDER=scripted works offline)`);
  }
  if (origins.length === 0) {
    warnings.push('no CORS origin configured: a frontend served from another origin (e.g. http://localhost:5173) will be blocked by the browser. Set CHATKIT_CORS_ORIGINS in .env');
  }
  if (!domainKey) warnings.push('VITE_CHATKIT_DOMAIN_KEY is not set: ChatKit.js needs a domain key (domain_pk_localhost_dev works on localhost)');
  else if (domainKey === PLACEHOLDER_DOMAIN_KEY) warnings.push(`the domain key is the placeholder ${PLACEHOLDER_DOMAIN_KEY}: fine on localhost, but register your domain and set VITE_CHATKIT_DOMAIN_KEY before deploying`);
  return { lines, warnings };
}

export function formatBanner(banner: Banner): string {
  return [...banner.lines, ...banner.warnings.map((w) => chalk.yellow(`  ⚠ ${w}`))].join('\n') + '\n';
}
