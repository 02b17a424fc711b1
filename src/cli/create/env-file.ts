/**
 * `.env` and `.env.example`, from one list of described variables (the
 * descriptions become comments). Both hold only what this project uses (its
 * provider, its store, its auth, its frontend) with development values, so a
 * teammate's `cp .env.example .env` gives a project that starts (after
 * pasting a key where one is needed). Neither ever contains a key or a
 * placeholder that looks like one: key variables are left empty, which the
 * server and `doctor` report by name.
 */
import { ENV, OPENAI_DEFAULT_BASE_URL, PROVIDERS } from '../../runtime/providers/provider-config.js';
import { DEFAULT_SQLITE_URL } from '../../runtime/stores/sqlite/location.js';
import { hasWidgetTools } from './choices.js';
import type { Settings } from './settings.js';

interface EnvVariable {
  name: string;
  description: string;
  value: string;
  /** Written commented out: the default (shown as the value) applies until someone sets it. */
  optional?: boolean;
}

interface EnvSection {
  title: string;
  variables: EnvVariable[];
}

/** The demo script the widget templates ship (scripts/demo.json); others have none. */
const DEMO_SCRIPT = 'scripts/demo.json';

function providerVariables(settings: Settings): EnvVariable[] {
  const variables: EnvVariable[] = [
    { name: ENV.provider, description: 'openai | gemini | openai-compatible | scripted (offline, no key)', value: settings.provider },
    { name: ENV.model, description: 'Model id for the provider', value: settings.model },
  ];
  switch (settings.provider) {
    case 'openai':
      variables.push(
        { name: ENV.openaiKey, description: `Your key, from ${PROVIDERS.openai.keyHelp}`, value: '' },
        { name: ENV.openaiBaseURL, description: 'A proxy or gateway in front of the OpenAI API', value: OPENAI_DEFAULT_BASE_URL, optional: true },
      );
      break;
    case 'gemini':
      variables.push({ name: ENV.geminiKey, description: `Your key, from ${PROVIDERS.gemini.keyHelp}`, value: '' });
      break;
    case 'openai-compatible':
      variables.push(
        { name: ENV.compatibleBaseURL, description: 'The server URL (Ollama, vLLM, LM Studio, OpenRouter...)', value: settings.baseUrl ?? '' },
        { name: ENV.compatibleKey, description: 'Only for servers that need a key', value: '', optional: true },
      );
      break;
    case 'scripted':
      variables.push(
        hasWidgetTools(settings.template)
          ? { name: ENV.script, description: 'Replies and tool calls the scripted model plays (without it, it echoes)', value: DEMO_SCRIPT }
          : { name: ENV.script, description: 'A JSON script of replies and tool calls; without it the scripted model echoes', value: 'scripts/my-script.json', optional: true },
      );
      break;
  }
  // The Agents SDK's traces go to OpenAI with the OpenAI key: only for agents on OpenAI.
  if (settings.provider === 'openai' && settings.template !== 'basic') {
    variables.push({ name: ENV.tracing, description: "1 sends the Agents SDK's traces to OpenAI", value: '1', optional: true });
  }
  return variables;
}

function storeVariables(settings: Settings): EnvVariable[] {
  if (settings.store === 'sqlite') {
    return [{ name: 'CHATKIT_SQLITE_URL', description: 'The SQLite file; :memory: keeps nothing', value: DEFAULT_SQLITE_URL, optional: true }];
  }
  if (settings.store === 'postgres') {
    return [
      { name: 'DATABASE_URL', description: 'PostgreSQL connection string', value: 'postgres://postgres@127.0.0.1:5432/chatkit' },
      { name: 'CHATKIT_POSTGRES_SCHEMA', description: 'The schema holding the tables (the tests use their own)', value: 'public', optional: true },
    ];
  }
  return [];
}

function attachmentVariables(settings: Settings): EnvVariable[] {
  const rateLimit: EnvVariable = {
    name: 'CHATKIT_RATE_LIMIT',
    description: 'Messages (streaming requests) per user, or per IP without auth, e.g. 20/min, 100/hour; off turns it off',
    value: '20/min',
  };
  if (settings.attachments === 'local') {
    return [
      { name: 'CHATKIT_UPLOAD_DIR', description: 'Where uploaded attachments are stored', value: '.data/uploads', optional: true },
      {
        name: 'CHATKIT_UPLOAD_SECRET',
        description: 'Signs image preview URLs so they survive restarts; a deployed server refuses to start without it. Generate one with `openssl rand -hex 32`',
        value: '',
        optional: true,
      },
      rateLimit,
    ];
  }
  return [
    { name: 'CHATKIT_S3_BUCKET', description: 'The bucket attachments go to (create it first; allow PUT and GET from your site in its CORS rules)', value: 'chatkit-uploads' },
    { name: 'CHATKIT_S3_ENDPOINT', description: 'For R2, MinIO and other S3-compatible services; leave unset for AWS', value: 'http://127.0.0.1:9000', optional: true },
    { name: 'CHATKIT_S3_FORCE_PATH_STYLE', description: '1 for MinIO and most local servers (endpoint/bucket/key URLs)', value: '1', optional: true },
    { name: 'AWS_REGION', description: 'The bucket\'s region (auto for R2)', value: 'us-east-1' },
    { name: 'AWS_ACCESS_KEY_ID', description: 'Credentials allowed to put, get and delete in the bucket (or an instance role)', value: '' },
    { name: 'AWS_SECRET_ACCESS_KEY', description: 'Its secret; presigned upload and preview URLs are signed with it', value: '' },
    rateLimit,
    { name: 'REDIS_URL', description: 'Redis every instance shares, so CHATKIT_RATE_LIMIT holds across instances (unset: counted per process)', value: 'redis://127.0.0.1:6379' },
  ];
}

function sections(settings: Settings): EnvSection[] {
  const all: EnvSection[] = [
    { title: 'Model provider (src/model.ts). Keys stay on the server: never put them in frontend code.', variables: providerVariables(settings) },
    {
      title: 'Server (src/server.ts, src/app.ts)',
      variables: [
        { name: 'PORT', description: 'Port to listen on', value: String(settings.port) },
        { name: 'HOST', description: 'Interface to listen on (0.0.0.0 in containers)', value: '127.0.0.1', optional: true },
        { name: 'CHATKIT_CORS_ORIGINS', description: 'Comma-separated origins of the sites that embed ChatKit', value: 'http://localhost:5173' },
        {
          name: 'CHATKIT_DIAGNOSTICS_TOKEN',
          description: 'Turns on the diagnostics route on a deployed server for `doctor --url <deployed URL> --diagnostics-token <token>`; any long random string',
          value: '',
          optional: true,
        },
      ],
    },
    { title: 'Storage', variables: storeVariables(settings) },
    { title: 'Attachments and limits (src/app.ts; docs: README "Uploads and limits")', variables: attachmentVariables(settings) },
  ];
  if (settings.auth === 'jwt') {
    all.push({
      title: 'Auth',
      variables: [
        {
          name: 'CHATKIT_JWT_SECRET',
          description: 'HMAC secret your login service signs user tokens with; the server refuses to start without it. Generate one with `openssl rand -hex 32`',
          value: '',
        },
        {
          name: 'CHATKIT_JWT_ISSUER',
          description: 'When set, tokens must carry this `iss`: the issuer your login service signs with (auth: jwt)',
          value: 'http://localhost:4000/',
          optional: true,
        },
        {
          name: 'CHATKIT_JWT_AUDIENCE',
          description: 'When set, tokens must carry this `aud` (auth: jwt)',
          value: 'chatkit',
          optional: true,
        },
        {
          name: 'CHATKIT_JWT_ALLOW_NO_EXP',
          description: 'true accepts tokens without an `exp` claim, which never expire (auth: jwt; not recommended)',
          value: 'false',
          optional: true,
        },
      ],
    });
  }
  if (settings.frontend !== 'none') {
    all.push({
      title: 'Frontend (public values, read by Vite in your frontend app)',
      variables: [
        { name: 'VITE_CHATKIT_API_URL', description: "This backend's ChatKit endpoint as the browser reaches it", value: `http://localhost:${settings.port}/chatkit/api`, optional: true },
        { name: 'VITE_CHATKIT_DOMAIN_KEY', description: "Your domain's key from ChatKit's domain allowlist (public)", value: 'domain_pk_localhost_dev', optional: true },
      ],
    });
  }
  return all.filter((section) => section.variables.length > 0);
}

function render(settings: Settings, header: string): string {
  const body = sections(settings).map((section) =>
    [
      `# ${section.title}`,
      ...section.variables.flatMap((variable) => [`# ${variable.description}`, `${variable.optional ? '# ' : ''}${variable.name}=${variable.value}`]),
    ].join('\n'),
  );
  return `${[header, ...body].join('\n\n')}\n`;
}

export function envFile(settings: Settings): string {
  return render(settings, '# This machine\'s settings, read by `dev`, `start`, `doctor` and the tests. Git-ignored: keys go here.');
}

export function envExampleFile(settings: Settings): string {
  return render(settings, '# What this project reads. Copy it to .env (cp .env.example .env) and fill in the empty values.');
}
