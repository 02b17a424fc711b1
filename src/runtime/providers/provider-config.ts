/**
 * Which providers exist, which environment variables configure them, and how
 * explicit options and the environment combine into one resolved
 * configuration. Pure: no client is built and nothing is read from disk here,
 * so `doctor` can describe a configuration without touching the network.
 */

export const PROVIDER_IDS = ['openai', 'gemini', 'openai-compatible', 'scripted'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** Which wire API a provider speaks. */
export type ProviderApi = 'responses' | 'chat_completions' | 'offline';

export type Env = Record<string, string | undefined>;

export const ENV = {
  provider: 'CHATKIT_MODEL_PROVIDER',
  model: 'CHATKIT_MODEL',
  compatibleBaseURL: 'CHATKIT_MODEL_BASE_URL',
  compatibleKey: 'CHATKIT_MODEL_API_KEY',
  script: 'CHATKIT_SCRIPT',
  tracing: 'CHATKIT_TRACING',
  openaiKey: 'OPENAI_API_KEY',
  openaiBaseURL: 'OPENAI_BASE_URL',
  geminiKey: 'GEMINI_API_KEY',
  googleKey: 'GOOGLE_API_KEY',
  geminiBaseURL: 'GEMINI_BASE_URL',
} as const;

export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta/openai/';
export const OPENAI_DEFAULT_MODEL = 'gpt-4.1-mini';
export const SCRIPTED_MODEL_NAME = 'scripted';
/** The provider used when `CHATKIT_MODEL_PROVIDER` is not set. */
export const DEFAULT_PROVIDER: ProviderId = 'openai';

interface ProviderInfo {
  api: ProviderApi;
  /** Variables that may hold the key, in the order they are read. */
  keyVariables: readonly string[];
  keyRequired: boolean;
  /** Where a developer gets a key. */
  keyHelp?: string;
  baseURLVariable?: string;
  defaultBaseURL?: string;
  defaultModel?: string;
  /** An example name for the "model required" message. */
  exampleModel?: string;
}

export const PROVIDERS: Record<ProviderId, ProviderInfo> = {
  openai: {
    api: 'responses',
    keyVariables: [ENV.openaiKey],
    keyRequired: true,
    keyHelp: 'https://platform.openai.com/api-keys',
    baseURLVariable: ENV.openaiBaseURL,
    defaultBaseURL: OPENAI_DEFAULT_BASE_URL,
    defaultModel: OPENAI_DEFAULT_MODEL,
  },
  gemini: {
    api: 'chat_completions',
    keyVariables: [ENV.geminiKey, ENV.googleKey],
    keyRequired: true,
    keyHelp: 'https://aistudio.google.com/apikey',
    baseURLVariable: ENV.geminiBaseURL,
    defaultBaseURL: GEMINI_DEFAULT_BASE_URL,
    exampleModel: 'gemini-2.5-flash',
  },
  'openai-compatible': {
    api: 'chat_completions',
    keyVariables: [ENV.compatibleKey],
    keyRequired: false,
    baseURLVariable: ENV.compatibleBaseURL,
    exampleModel: 'llama3.2',
  },
  scripted: {
    api: 'offline',
    keyVariables: [],
    keyRequired: false,
    defaultModel: SCRIPTED_MODEL_NAME,
  },
};

/** A configuration problem found before any request: names the variable to set and how. */
export class ProviderConfigError extends Error {
  override name = 'ProviderConfigError';
  /** The environment variable that fixes it, when there is one. */
  readonly variable: string | undefined;
  constructor(message: string, variable?: string) {
    super(message);
    this.variable = variable;
  }
}

export interface ProviderSettings {
  provider: ProviderId | string;
  model?: string;
  apiKey?: string;
  baseURL?: string;
}

export interface ResolvedProviderConfig {
  provider: ProviderId;
  api: ProviderApi;
  model: string;
  /** `undefined` for `scripted`, and for `openai-compatible` without a key. */
  apiKey: string | undefined;
  /** Which variable the key came from, or `'option'` when passed explicitly. */
  keySource: string | undefined;
  baseURL: string | undefined;
}

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

export function assertProviderId(value: string, variable?: string): ProviderId {
  if (isProviderId(value)) return value;
  const where = variable ? `${variable}=${JSON.stringify(value)}` : `provider ${JSON.stringify(value)}`;
  throw new ProviderConfigError(
    `Unknown model provider: ${where}. Use one of: ${PROVIDER_IDS.join(', ')}.`,
    variable ?? ENV.provider,
  );
}

const present = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

/** The provider `CHATKIT_MODEL_PROVIDER` names, unchecked; `openai` when it is unset or blank. */
export function providerNameFromEnv(env: Env): string {
  return present(env[ENV.provider]) ?? DEFAULT_PROVIDER;
}

/** The script path `CHATKIT_SCRIPT` names for the scripted provider, if any (none means echo). */
export function scriptPathFromEnv(env: Env): string | undefined {
  return present(env[ENV.script]);
}

/** The key and the variable it came from, without validating anything. */
export function findKey(provider: ProviderId, explicit: string | undefined, env: Env): { key?: string; source?: string } {
  const fromOption = present(explicit);
  if (fromOption) return { key: fromOption, source: 'option' };
  for (const variable of PROVIDERS[provider].keyVariables) {
    const value = present(env[variable]);
    if (value) return { key: value, source: variable };
  }
  return {};
}

/**
 * Combines explicit settings with the provider's own variables (key and base
 * URL; the model name comes only from `settings.model`). Throws a
 * `ProviderConfigError` naming the variable when something required is
 * missing. Never puts a key into a message.
 */
export function resolveProviderConfig(settings: ProviderSettings, env: Env): ResolvedProviderConfig {
  const provider = assertProviderId(settings.provider);
  const info = PROVIDERS[provider];
  const { key, source } = findKey(provider, settings.apiKey, env);

  if (info.keyRequired && !key) {
    const variables = info.keyVariables.join(' (or ') + (info.keyVariables.length > 1 ? ')' : '');
    throw new ProviderConfigError(
      `${variables} is not set. The ${provider} provider needs an API key: create one at ${info.keyHelp} ` +
        `and put it in the server's environment (for example in .env as ${info.keyVariables[0]}=...). ` +
        `Keys stay on the server; never put them in frontend code. ` +
        `To develop without a key, set ${ENV.provider}=scripted.`,
      info.keyVariables[0],
    );
  }

  const baseURL = present(settings.baseURL) ?? (info.baseURLVariable ? present(env[info.baseURLVariable]) : undefined) ?? info.defaultBaseURL;
  if (provider === 'openai-compatible' && !baseURL) {
    throw new ProviderConfigError(
      `${ENV.compatibleBaseURL} is not set. The openai-compatible provider needs the server's base URL, ` +
        `for example ${ENV.compatibleBaseURL}=http://localhost:11434/v1 for Ollama, http://localhost:8000/v1 for vLLM, ` +
        `http://localhost:1234/v1 for LM Studio or https://openrouter.ai/api/v1 for OpenRouter.`,
      ENV.compatibleBaseURL,
    );
  }
  if (baseURL !== undefined) assertHttpURL(baseURL, info.baseURLVariable);

  const model = present(settings.model) ?? info.defaultModel;
  if (!model) {
    throw new ProviderConfigError(
      `${ENV.model} is not set. The ${provider} provider needs an explicit model name: ` +
        `set ${ENV.model} (for example ${ENV.model}=${info.exampleModel}) or pass { model } to createModel().`,
      ENV.model,
    );
  }

  // A scripted project's .env says CHATKIT_MODEL=scripted; switching only the provider
  // would send model "scripted" upstream, and every turn would fail there, later and vaguer.
  if (provider !== 'scripted' && model === SCRIPTED_MODEL_NAME) {
    throw new ProviderConfigError(
      `${ENV.model} is "${SCRIPTED_MODEL_NAME}", the offline scripted model's name, but the provider is ${provider}. ` +
        `Set ${ENV.model} to a model ${provider} offers` +
        (info.defaultModel ? ` (or remove it to use ${info.defaultModel})` : info.exampleModel ? ` (for example ${ENV.model}=${info.exampleModel})` : '') +
        `, or set ${ENV.provider}=scripted to stay offline.`,
      ENV.model,
    );
  }

  return { provider, api: info.api, model, apiKey: key, keySource: source, baseURL };
}

function assertHttpURL(value: string, variable: string | undefined) {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new ProviderConfigError(
      `${variable ?? 'baseURL'} is not an http(s) URL: ${JSON.stringify(redactURL(value))}. ` +
        `Use the API's base URL, for example http://localhost:11434/v1.`,
      variable,
    );
  }
}

/** A URL safe to print: user info, query and fragment removed (they may carry credentials). */
export function redactURL(value: string): string {
  try {
    const url = new URL(value);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString();
  } catch {
    return value.replace(/\/\/[^/@]*@/, '//').replace(/[?#].*$/, '');
  }
}
