/**
 * `.env` and `.env.example`, from one list of described variables (the
 * descriptions become comments). `.env.example` documents every variable
 * any configuration can use; `.env` holds this project's choices. Neither
 * ever contains a key: the user pastes theirs into `.env`, which is
 * git-ignored.
 */
import { ENV, OPENAI_DEFAULT_BASE_URL, PROVIDERS } from '../../runtime/providers/provider-config.js';
import { DEFAULT_SQLITE_URL } from '../../runtime/stores/sqlite/location.js';
import { DEFAULT_BASE_URL, DEFAULT_MODELS, hasWidgetTools } from './choices.js';
import type { Settings } from './settings.js';

interface EnvVariable {
  name: string;
  description: string;
  /** Value written to `.env`; `undefined` writes it commented out. */
  value: string | undefined;
  /** Value shown in `.env.example`. */
  example: string;
}

interface EnvSection {
  title: string;
  variables: EnvVariable[];
}

function sections(settings: Settings): EnvSection[] {
  const is = (provider: Settings['provider']) => settings.provider === provider;
  return [
    {
      title: 'Model provider (src/model.ts). Keys stay on the server: never put them in frontend code.',
      variables: [
        {
          name: ENV.provider,
          description: 'openai | gemini | openai-compatible | scripted (offline, no key)',
          value: settings.provider,
          example: 'openai',
        },
        { name: ENV.model, description: 'Model id for the provider', value: settings.model, example: DEFAULT_MODELS.openai },
        {
          name: ENV.openaiKey,
          description: `For openai: ${PROVIDERS.openai.keyHelp}`,
          value: is('openai') ? '' : undefined,
          example: 'sk-...',
        },
        {
          name: ENV.openaiBaseURL,
          description: `For openai: a proxy or gateway in front of the OpenAI API (default ${OPENAI_DEFAULT_BASE_URL})`,
          value: undefined,
          example: OPENAI_DEFAULT_BASE_URL,
        },
        {
          name: ENV.geminiKey,
          description: `For gemini: ${PROVIDERS.gemini.keyHelp}`,
          value: is('gemini') ? '' : undefined,
          example: 'AIza...',
        },
        {
          name: ENV.compatibleBaseURL,
          description: 'For openai-compatible: the server URL (Ollama, vLLM, LM Studio, OpenRouter...)',
          value: is('openai-compatible') ? settings.baseUrl : undefined,
          example: DEFAULT_BASE_URL,
        },
        {
          name: ENV.compatibleKey,
          description: 'For openai-compatible servers that need a key',
          value: undefined,
          example: '',
        },
        {
          name: ENV.tracing,
          description: "1 sends the Agents SDK's traces to OpenAI (with OPENAI_API_KEY); off by default",
          value: undefined,
          example: '0',
        },
        {
          name: ENV.script,
          description: 'For scripted: a JSON script of replies and tool calls (without it, the model echoes)',
          // The widget templates ship a demo script: with it, `dev` shows the widgets offline.
          value: is('scripted') && hasWidgetTools(settings.template) ? 'scripts/demo.json' : undefined,
          example: 'scripts/demo.json',
        },
      ],
    },
    {
      title: 'Server (src/server.ts, src/app.ts)',
      variables: [
        { name: 'PORT', description: 'Port to listen on', value: String(settings.port), example: String(settings.port) },
        {
          name: 'NODE_ENV',
          description: 'production when deployed (`dev` sets development, the tests set test)',
          value: undefined,
          example: 'production',
        },
        { name: 'HOST', description: 'Interface to listen on (0.0.0.0 in containers)', value: undefined, example: '127.0.0.1' },
        {
          name: 'CHATKIT_CORS_ORIGINS',
          description: 'Comma-separated origins of the sites that embed ChatKit',
          value: 'http://localhost:5173',
          example: 'http://localhost:5173,https://app.example.com',
        },
        {
          name: 'CHATKIT_UPLOAD_DIR',
          description: 'Where uploaded attachments are stored',
          value: undefined,
          example: '.data/uploads',
        },
        {
          name: 'CHATKIT_DIAGNOSTICS_TOKEN',
          description:
            'Turns on the streaming diagnostics route in production for `doctor --url <deployed URL> --diagnostics-token <token>`; any long random string',
          value: undefined,
          example: '',
        },
      ],
    },
    {
      title: 'Storage',
      variables: [
        {
          name: 'CHATKIT_SQLITE_URL',
          description: 'SQLite file (store: sqlite); :memory: keeps nothing',
          value: undefined,
          example: DEFAULT_SQLITE_URL,
        },
        {
          name: 'DATABASE_URL',
          description: 'PostgreSQL connection string (store: postgres)',
          value: settings.store === 'postgres' ? 'postgres://postgres@127.0.0.1:5432/chatkit' : undefined,
          example: 'postgres://user:password@127.0.0.1:5432/chatkit',
        },
      ],
    },
    {
      title: 'Auth',
      variables: [
        {
          name: 'CHATKIT_JWT_SECRET',
          description:
            'HMAC secret your login service signs user tokens with (auth: jwt). Required: the server refuses to start without it. Generate one with `openssl rand -hex 32`',
          value: settings.auth === 'jwt' ? '' : undefined,
          example: '',
        },
        {
          name: 'CHATKIT_JWT_ISSUER',
          description: 'When set, tokens must carry this `iss` (auth: jwt)',
          value: undefined,
          example: 'https://auth.example.com/',
        },
        {
          name: 'CHATKIT_JWT_AUDIENCE',
          description: 'When set, tokens must carry this `aud` (auth: jwt)',
          value: undefined,
          example: 'chatkit',
        },
        {
          name: 'CHATKIT_JWT_ALLOW_NO_EXP',
          description: 'true accepts tokens without an `exp` claim, which never expire (auth: jwt; not recommended)',
          value: undefined,
          example: 'false',
        },
      ],
    },
    {
      title: 'Frontend (public values, read by Vite in your frontend app)',
      variables: [
        {
          name: 'VITE_CHATKIT_API_URL',
          description: "This backend's ChatKit endpoint as the browser reaches it",
          value: undefined,
          example: `http://localhost:${settings.port}/chatkit/api`,
        },
        {
          name: 'VITE_CHATKIT_DOMAIN_KEY',
          description: "Your domain's key from ChatKit's domain allowlist (public)",
          value: undefined,
          example: 'domain_pk_localhost_dev',
        },
      ],
    },
  ];
}

function render(settings: Settings, line: (variable: EnvVariable) => string): string {
  return `${sections(settings)
    .map((section) => [`# ${section.title}`, ...section.variables.flatMap((variable) => [`# ${variable.description}`, line(variable)])].join('\n'))
    .join('\n\n')}\n`;
}

export function envFile(settings: Settings): string {
  return render(settings, (variable) => (variable.value === undefined ? `# ${variable.name}=${variable.example}` : `${variable.name}=${variable.value}`));
}

export function envExampleFile(settings: Settings): string {
  return render(settings, (variable) => `${variable.name}=${variable.example}`);
}
