/**
 * `create-chatkit-backend/providers`: Agents SDK models for OpenAI, Gemini,
 * OpenAI-compatible servers and an offline scripted model, plus the mapping
 * of provider failures to ChatKit errors. See docs/providers.md.
 */
export { createModel, buildModel, type CreateModelOptions } from './create-model.js';
export { describeProvider, type DescribeOptions, type ProviderDescription } from './describe-provider.js';
export { modelFromEnv, describeLine, type EnvModel, type ModelFromEnvOptions } from './model-from-env.js';
export {
  ENV,
  PROVIDERS,
  PROVIDER_IDS,
  OPENAI_DEFAULT_MODEL,
  OPENAI_DEFAULT_BASE_URL,
  GEMINI_DEFAULT_BASE_URL,
  ProviderConfigError,
  isProviderId,
  redactURL,
  type Env,
  type ProviderApi,
  type ProviderId,
} from './provider-config.js';
export { ScriptedModel } from './scripted-model.js';
export {
  parseScript,
  loadScriptFile,
  type ScriptedScript,
  type ScriptedTurn,
  type ScriptedStep,
  type ScriptedToolCall,
  type ScriptedError,
} from './scripted-script.js';
export { toChatKitError, PROVIDER_ERROR_MESSAGES } from './to-chatkit-error.js';
export { streamModelText, type StreamModelTextOptions } from './stream-model-text.js';
export {
  stripGeminiSchemaKeys,
  stripSchemaKeys,
  rewriteGeminiBody,
  GEMINI_REJECTED_SCHEMA_KEYS,
  type FetchLike,
} from './request-rewriting-fetch.js';
