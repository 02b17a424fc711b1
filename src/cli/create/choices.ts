/**
 * Every choice the scaffolder offers, with its allowed values and default.
 * Flags, prompts, `--help` and validation all read this table, so a new value
 * is added in exactly one place. The providers (and the defaults the runtime
 * also has) come from the runtime's provider table, so the scaffolder offers
 * exactly what `modelFromEnv` accepts.
 */
import { OPENAI_DEFAULT_MODEL, PROVIDER_IDS, SCRIPTED_MODEL_NAME } from '../../runtime/providers/provider-config.js';

export const TEMPLATES = ['basic', 'agent', 'tools', 'multi-agent'] as const;
export const PROVIDERS = PROVIDER_IDS;
export const STORES = ['sqlite', 'postgres', 'memory'] as const;
export const AUTHS = ['none', 'jwt'] as const;
export const ATTACHMENTS = ['local', 's3'] as const;
export const FRONTENDS = ['react', 'vanilla', 'none'] as const;
export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn', 'bun'] as const;

export type Template = (typeof TEMPLATES)[number];
export type Provider = (typeof PROVIDERS)[number];
export type StoreKind = (typeof STORES)[number];
export type Auth = (typeof AUTHS)[number];
export type AttachmentsKind = (typeof ATTACHMENTS)[number];
export type Frontend = (typeof FRONTENDS)[number];
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/** The templates with the widget tools (and their offline demo script, scripts/demo.json). */
export function hasWidgetTools(template: Template): boolean {
  return template === 'tools' || template === 'multi-agent';
}

export const TEMPLATE_HINTS: Record<Template, string> = {
  basic: 'streams a reply without an agent: the ChatKit protocol layer on its own',
  agent: 'adds an Agents SDK agent behind ChatKit',
  tools: 'adds tools that stream widgets (task list, card, progress, a client tool)',
  'multi-agent': 'a triage agent handing off to two specialists that own tools',
};

export const PROVIDER_HINTS: Record<Provider, string> = {
  openai: 'Responses API, needs OPENAI_API_KEY',
  gemini: "Gemini's OpenAI-compatible endpoint, needs GEMINI_API_KEY",
  'openai-compatible': 'Ollama, vLLM, LM Studio, OpenRouter… at a base URL',
  scripted: 'offline and deterministic: no key, echoes or follows a script',
};

export const STORE_HINTS: Record<StoreKind, string> = {
  sqlite: 'a file in .data/, nothing to run',
  postgres: 'DATABASE_URL',
  memory: 'lost on restart',
};

export const AUTH_HINTS: Record<Auth, string> = {
  none: 'open endpoint: fine for local development',
  jwt: 'verify a bearer token signed with CHATKIT_JWT_SECRET',
};

export const ATTACHMENT_HINTS: Record<AttachmentsKind, string> = {
  local: 'files in .data/uploads: one instance',
  s3: 'an S3-compatible bucket (AWS, R2, MinIO) and Redis for the rate limit: several instances',
};

export const FRONTEND_HINTS: Record<Frontend, string> = {
  react: '@openai/chatkit-react',
  vanilla: 'the <openai-chatkit> web component',
  none: 'backend only',
};

/** The model id written to `.env` when `--model` is not given. */
export const DEFAULT_MODELS: Record<Provider, string> = {
  openai: OPENAI_DEFAULT_MODEL,
  // The runtime has no default for these two (it requires CHATKIT_MODEL): the scaffolder picks one.
  gemini: 'gemini-2.5-flash',
  'openai-compatible': 'llama3.2',
  scripted: SCRIPTED_MODEL_NAME,
};

export const DEFAULT_BASE_URL = 'http://localhost:11434/v1';

export const DEFAULTS = {
  template: 'tools' as Template,
  provider: 'openai' as Provider,
  store: 'sqlite' as StoreKind,
  auth: 'none' as Auth,
  attachments: 'local' as AttachmentsKind,
  frontend: 'react' as Frontend,
  port: 8000,
  install: true,
  git: true,
  directory: 'chatkit-backend',
};
