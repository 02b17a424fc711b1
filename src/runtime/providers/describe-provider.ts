/**
 * Printable descriptions of a provider configuration for `dev` and
 * `doctor`: which provider, API, model and base URL, which variable holds the
 * key and whether it is set. Never the key itself, and base URLs without
 * credentials.
 */
import {
  DEFAULT_PROVIDER,
  ENV,
  PROVIDERS,
  assertProviderId,
  findKey,
  providerNameFromEnv,
  redactURL,
  resolveProviderConfig,
  scriptPathFromEnv,
  type Env,
  type ProviderApi,
  type ProviderId,
  type ResolvedProviderConfig,
} from './provider-config.js';
import { loadScriptFile } from './scripted-script.js';

/** What a model is talking to, safe to print (`dev` and `doctor` show it). */
export interface ProviderDescription {
  provider: ProviderId;
  api: ProviderApi;
  model: string;
  /** Base URL without credentials; `undefined` for scripted. */
  baseURL: string | undefined;
  /** The variable(s) the key is read from (empty for scripted). */
  keyVariables: readonly string[];
  keyRequired: boolean;
  /** Whether a key was found. The key itself is never included. */
  keyPresent: boolean;
  /** Where the key came from: a variable name, `'option'`, or `undefined`. */
  keySource: string | undefined;
  /** Scripted provider: where the script came from (`inline`, a path, or `echo`). */
  script?: string;
}

export function describeResolved(config: ResolvedProviderConfig): ProviderDescription {
  const info = PROVIDERS[config.provider];
  return {
    provider: config.provider,
    api: config.api,
    model: config.model,
    baseURL: config.baseURL === undefined ? undefined : redactURL(config.baseURL),
    keyVariables: info.keyVariables,
    keyRequired: info.keyRequired,
    keyPresent: config.apiKey !== undefined,
    keySource: config.keySource,
  };
}

export interface DescribeOptions {
  provider?: string;
  model?: string;
  baseURL?: string;
  env?: Env;
}

/**
 * Describes the configuration the environment selects without building
 * anything and without throwing: `problems` lists what `createModel` would
 * reject (each message names the variable to set). For `doctor`.
 */
export function describeProvider(options: DescribeOptions = {}): ProviderDescription & { problems: string[] } {
  const env = options.env ?? process.env;
  const providerName = options.provider ?? providerNameFromEnv(env);
  const problems: string[] = [];
  let provider: ProviderId;
  try {
    provider = assertProviderId(providerName, options.provider ? undefined : ENV.provider);
  } catch (error) {
    problems.push((error as Error).message);
    provider = DEFAULT_PROVIDER;
  }
  const info = PROVIDERS[provider];
  const settings = { provider, model: options.model ?? env[ENV.model], baseURL: options.baseURL };
  try {
    const config = resolveProviderConfig(settings, env);
    const description = describeResolved(config);
    if (provider === 'scripted') {
      const path = scriptPathFromEnv(env);
      description.script = path || 'echo';
      if (path) {
        try {
          loadScriptFile(path);
        } catch (error) {
          problems.push((error as Error).message);
        }
      }
    }
    return { ...description, problems };
  } catch (error) {
    problems.push((error as Error).message);
  }
  // The configuration is incomplete: describe what is there, as it would have resolved.
  const { key, source } = findKey(provider, undefined, env);
  const baseURL = options.baseURL ?? (info.baseURLVariable ? env[info.baseURLVariable] : undefined) ?? info.defaultBaseURL;
  const partial: ResolvedProviderConfig = {
    provider,
    api: info.api,
    model: settings.model?.trim() || info.defaultModel || '',
    apiKey: key,
    keySource: source,
    baseURL: baseURL || undefined,
  };
  return { ...describeResolved(partial), problems };
}
