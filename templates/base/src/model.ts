/**
 * The one place that decides which model answers: everything else calls
 * `createModel()`. Configured by environment variables, so switching
 * provider is a `.env` change, never a code change:
 *
 *   CHATKIT_MODEL_PROVIDER  openai | gemini | openai-compatible | scripted
 *   CHATKIT_MODEL           model id
 *   CHATKIT_MODEL_BASE_URL  server URL for openai-compatible
 *   OPENAI_API_KEY / GEMINI_API_KEY  keys (server-side only)
 *   CHATKIT_SCRIPT          JSON script for the scripted model
 *
 * A missing key fails here, at start-up, with a message naming the variable.
 */
import type { Model } from '@openai/agents';
import { modelFromEnv, type EnvModel } from 'create-chatkit-backend/providers';

export interface CreateModelOptions {
  env?: NodeJS.ProcessEnv;
  /** The HTTP client's fetch: `dev`, `replay` and tests inject their own. */
  fetch?: typeof globalThis.fetch;
}

/** The model, plus `describe()`: a one-line summary for logs (never the key). */
export function createModel({ env = process.env, fetch }: CreateModelOptions = {}): EnvModel {
  return modelFromEnv(env, { fetch });
}

export type ChatModel = Model;
