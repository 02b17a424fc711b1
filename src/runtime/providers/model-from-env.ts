/**
 * Builds the model a generated project's `.env` asks for:
 * `CHATKIT_MODEL_PROVIDER` (openai | gemini | openai-compatible | scripted,
 * default openai), `CHATKIT_MODEL`, the provider's key and base URL
 * variables, `CHATKIT_SCRIPT` and `CHATKIT_TRACING=1`.
 */
import type { Model } from '@openai/agents';
import { buildModel } from './create-model.js';
import type { ProviderDescription } from './describe-provider.js';
import { ENV, assertProviderId, providerNameFromEnv, type Env, type ProviderId } from './provider-config.js';
import type { FetchLike } from './request-rewriting-fetch.js';

export interface ModelFromEnvOptions {
  /** The `fetch` the provider's `openai` client uses (record/replay injects one). */
  fetch?: FetchLike;
  /** Client retries for 408/409/429/5xx (the `openai` client's default is 2). */
  maxRetries?: number;
}

export interface EnvModel {
  model: Model;
  provider: ProviderId;
  modelName: string;
  description: ProviderDescription;
  /** One line for start-up logs, e.g. `openai gpt-4.1-mini (Responses API, key from OPENAI_API_KEY)`; never the key. */
  describe(): string;
}

export function modelFromEnv(env: Env = process.env, options: ModelFromEnvOptions = {}): EnvModel {
  const provider = assertProviderId(providerNameFromEnv(env), ENV.provider);
  const { model, description } = buildModel({
    provider,
    model: env[ENV.model],
    env,
    fetch: options.fetch,
    maxRetries: options.maxRetries,
    tracing: isTruthy(env[ENV.tracing]),
  });
  return { model, provider, modelName: description.model, description, describe: () => describeLine(description) };
}

export function describeLine(description: ProviderDescription): string {
  const api = { responses: 'Responses API', chat_completions: 'Chat Completions', offline: 'offline' }[description.api];
  const parts = [api];
  if (description.baseURL) parts.push(description.baseURL);
  if (description.provider === 'scripted') parts.push(`script: ${description.script ?? 'echo'}`);
  else if (description.keyPresent) parts.push(`key from ${description.keySource === 'option' ? 'options' : description.keySource}`);
  else parts.push('no key');
  return `${description.provider} ${description.model} (${parts.join(', ')})`;
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}
