/**
 * The environment replay builds the app with: the project's own configuration,
 * plus a dummy key for any provider key that is missing, so the provider
 * client can be constructed. The model never sees it: every model request is
 * answered from the cassette.
 */
import { randomBytes } from 'node:crypto';
import { PROVIDERS } from '../../runtime/providers/provider-config.js';
import { PLACEHOLDER_DOMAIN_KEY, configuredSecrets, type SecretOptions } from '../cassette/secrets.js';

const DUMMY_KEY = 'replay-dummy-key';

export function replayEnv(projectEnv: Record<string, string>): Record<string, string> {
  // Replay is a test run: plugins stay quiet about development defaults (no auth, no CORS).
  const env: Record<string, string> = { NODE_ENV: 'test', ...projectEnv };
  // A replay creates its threads afresh: keep them out of the development database.
  env.CHATKIT_SQLITE_URL = ':memory:';
  // JWT-protected projects need a secret to boot; replay signs its own token with it (no real secret needed in CI).
  env.CHATKIT_JWT_SECRET ??= randomBytes(32).toString('hex');
  for (const info of Object.values(PROVIDERS)) {
    // An empty value (`OPENAI_API_KEY=` as generated) is as missing as no line at all.
    for (const variable of info.keyVariables) if (!env[variable]?.trim()) env[variable] = DUMMY_KEY;
  }
  return env;
}

/** What the secret scanner should also look for, given the project's configuration. */
export function secretOptionsFor(env: Record<string, string | undefined>): SecretOptions {
  const literals = configuredSecrets(env);
  const domainKey = env.VITE_CHATKIT_DOMAIN_KEY ?? env.CHATKIT_DOMAIN_KEY;
  const domainConfigured = Boolean(domainKey && domainKey !== PLACEHOLDER_DOMAIN_KEY);
  if (domainConfigured) literals.push(domainKey!);
  return { literals, domainKeys: domainConfigured };
}
