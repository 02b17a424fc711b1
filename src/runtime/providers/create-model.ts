/**
 * The provider factory: one call returns an Agents SDK `Model` for OpenAI
 * (Responses API), Gemini (Chat Completions at its OpenAI-compatible
 * endpoint), any OpenAI-compatible server (Ollama, vLLM, LM Studio,
 * OpenRouter) or the offline scripted model. Use it as `new Agent({ model })`.
 */
import OpenAI from 'openai';
import { OpenAIChatCompletionsModel, OpenAIResponsesModel, setTracingDisabled, type Model } from '@openai/agents';
import { describeResolved, type ProviderDescription } from './describe-provider.js';
import {
  assertProviderId,
  resolveProviderConfig,
  scriptPathFromEnv,
  type Env,
  type ProviderId,
  type ResolvedProviderConfig,
} from './provider-config.js';
import { stripGeminiSchemaKeys, withoutAuthorization, type FetchLike } from './request-rewriting-fetch.js';
import { ScriptedModel } from './scripted-model.js';
import { loadScriptFile, parseScript, type ScriptedScript } from './scripted-script.js';

export interface CreateModelOptions {
  provider: ProviderId;
  /** Model name. Defaults: `gpt-4.1-mini` for openai; required for gemini and openai-compatible. */
  model?: string;
  /** Falls back to the provider's variable (`OPENAI_API_KEY`, `GEMINI_API_KEY`/`GOOGLE_API_KEY`, `CHATKIT_MODEL_API_KEY`). */
  apiKey?: string;
  /** Falls back to `OPENAI_BASE_URL`, `GEMINI_BASE_URL` or `CHATKIT_MODEL_BASE_URL`. */
  baseURL?: string;
  /** The `fetch` the `openai` client uses (record/replay injects one here). */
  fetch?: FetchLike;
  /** Scripted provider: the script, or a path to a JSON script. Falls back to `CHATKIT_SCRIPT`; none means echo. */
  script?: ScriptedScript | string;
  /** Where missing keys, base URLs and the script path are read from. Default `process.env`. */
  env?: Env;
  /**
   * Keep the Agents SDK's trace export on (default `false`). The exporter
   * sends traces to api.openai.com with `OPENAI_API_KEY` through the global
   * `fetch`, outside any injected `fetch` and whatever the provider, so
   * creating a model turns it off process-wide unless you ask for it.
   */
  tracing?: boolean;
  /** The `openai` client's retry count for 408/409/429/5xx (its default is 2). */
  maxRetries?: number;
  /** Strip `$schema`/`additionalProperties`/`strict` from Gemini tool schemas (default true). */
  geminiSchemaCleanup?: boolean;
}

export function createModel(options: CreateModelOptions): Model {
  return buildModel(options).model;
}

/** `createModel` plus a printable description of what was built. */
export function buildModel(options: CreateModelOptions): { model: Model; description: ProviderDescription } {
  const env = options.env ?? process.env;
  const provider = assertProviderId(options.provider);
  const config = resolveProviderConfig({ ...options, provider }, env);
  if (!options.tracing) setTracingDisabled(true);

  if (config.provider === 'scripted') {
    const { script, origin } = resolveScript(options.script, env);
    return { model: new ScriptedModel(script), description: { ...describeResolved(config), script: origin } };
  }

  const client = buildClient(config, options);
  const model =
    config.api === 'responses'
      ? new OpenAIResponsesModel(client, config.model)
      : new OpenAIChatCompletionsModel(client, config.model);
  return { model, description: describeResolved(config) };
}

function buildClient(config: ResolvedProviderConfig, options: CreateModelOptions): OpenAI {
  let fetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  if (config.provider === 'gemini' && options.geminiSchemaCleanup !== false) fetch = stripGeminiSchemaKeys(fetch);
  // The client insists on a key; a keyless local server gets a placeholder that never leaves the process.
  if (config.apiKey === undefined) fetch = withoutAuthorization(fetch);
  return new OpenAI({
    apiKey: config.apiKey ?? 'no-key',
    baseURL: config.baseURL,
    // Explicit nulls: the client would otherwise read OPENAI_ORG_ID / OPENAI_PROJECT_ID / OPENAI_ADMIN_KEY
    // from the environment and send them to every provider.
    organization: config.provider === 'openai' ? undefined : null,
    project: config.provider === 'openai' ? undefined : null,
    adminAPIKey: null,
    fetch: fetch as NonNullable<ConstructorParameters<typeof OpenAI>[0]>['fetch'],
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  });
}

function resolveScript(script: ScriptedScript | string | undefined, env: Env): { script: ScriptedScript; origin: string } {
  if (typeof script === 'string') return { script: loadScriptFile(script), origin: script };
  if (script) return { script: parseScript(script), origin: 'inline' };
  const path = scriptPathFromEnv(env);
  if (path) return { script: loadScriptFile(path), origin: path };
  return { script: {}, origin: 'echo' };
}
