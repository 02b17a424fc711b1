/**
 * Keys: the configured provider's key is present, well-formed, and set from
 * one place. A shell-exported key silently beats `.env` (the starter app's
 * most-cited trap), so a disagreement is a warning. `--online` confirms the
 * key and the model with one models call.
 */
import { isProviderId, PROVIDERS } from '../../../runtime/providers/provider-config.js';
import { describeSource } from '../../project/env.js';
import { isPlaceholderKey } from '../../project/placeholder-key.js';
import { urlWithoutCredentials } from '../../cassette/url-without-credentials.js';
import { socketErrorCode } from '../../project/socket-error-code.js';
import { providerErrorCode } from '../../project/provider-error-code.js';
import type { Check, CheckOutcome, DoctorContext } from '../types.js';

const DOCS = 'https://platform.openai.com/api-keys';

interface ProviderKeys {
  variables: readonly string[];
  pattern: RegExp | null;
  shape: string;
  optional: boolean;
  help: string;
}

/** The key shapes doctor knows; an OpenAI-compatible server's keys can look like anything. */
const KEY_SHAPES: Record<string, [RegExp, string]> = {
  openai: [/^sk-[A-Za-z0-9_-]{20,}$/, 'sk-… or sk-proj-…'],
  gemini: [/^AIza[0-9A-Za-z_-]{35}$/, 'AIza… (39 characters)'],
};

/** Key variables come from the provider factory's own table, so doctor and the app agree. */
function keysFor(provider: string): ProviderKeys | null {
  if (!isProviderId(provider) || provider === 'scripted') return null;
  const info = PROVIDERS[provider];
  const [pattern, shape] = KEY_SHAPES[provider] ?? [null, 'whatever the server expects'];
  return { variables: info.keyVariables, pattern, shape, optional: !info.keyRequired, help: info.keyHelp ?? DOCS };
}

/** Names a key without revealing it: its well-known prefix and its length. */
function describeKey(value: string): string {
  const prefix = /^(sk-(?:proj|svcacct|admin)-|sk-|AIza)/.exec(value)?.[1];
  return `${prefix ? `${prefix}…` : 'a value'} (${value.length} characters)`;
}

export const keysCheck: Check = {
  id: 'keys',
  title: 'Provider key',
  category: 'configuration',
  async run(ctx) {
    // Probing a backend with --url from elsewhere: its keys are in its own environment, not this shell's.
    if (!ctx.root) return { status: 'skip', message: 'not run inside a project (the backend reads its keys from its own environment)' };
    const env = ctx.env.values;
    const provider = (env.CHATKIT_MODEL_PROVIDER ?? 'openai').trim() || 'openai';
    if (provider === 'scripted') {
      return { status: 'pass', message: 'the scripted provider needs no key', evidence: [`CHATKIT_MODEL_PROVIDER=scripted (${ctx.env.sources.CHATKIT_MODEL_PROVIDER ?? 'default'})`] };
    }
    const spec = keysFor(provider);
    if (!spec) {
      // Not scripted (handled above), so the id is unknown.
      return {
        status: 'fail',
        message: `unknown provider ${JSON.stringify(provider)}`,
        evidence: [`CHATKIT_MODEL_PROVIDER=${provider} (${ctx.env.sources.CHATKIT_MODEL_PROVIDER})`],
        fix: ['Set CHATKIT_MODEL_PROVIDER to openai, gemini, openai-compatible or scripted.'],
      };
    }
    const variable = spec.variables.find((name) => (env[name] ?? '').trim() !== '') ?? spec.variables[0]!;
    const value = (env[variable] ?? '').trim();
    const evidence = [`provider: ${provider}${env.CHATKIT_MODEL ? `, model: ${env.CHATKIT_MODEL}` : ''}`];
    if (value === '' || isPlaceholderKey(value)) {
      if (spec.optional) return { status: 'pass', message: `no ${variable} set (optional for ${provider})`, evidence };
      return {
        status: 'fail',
        message: `${spec.variables.join(' or ')} is ${value === '' ? 'not set' : `${JSON.stringify(value)}, a placeholder, not a real key`}`,
        evidence: [...evidence, value !== '' ? `${variable}: placeholder value in ${ctx.env.sources[variable]}` : ctx.env.sources[variable] ? `${variable}: empty in ${ctx.env.sources[variable]}` : `${variable}: not set in the shell or .env`],
        fix: [
          `Put your key in .env: ${variable}=<your key> (never in frontend code).`,
          'Or run without a key: CHATKIT_MODEL_PROVIDER=scripted.',
        ],
        docs: spec.help,
      };
    }
    const source = ctx.env.sources[variable] ?? 'shell';
    evidence.push(`${variable}: ${describeKey(value)}, set by ${describeSource(source)}`);
    const outcome: CheckOutcome = { status: 'pass', message: `${variable} is set and well-formed`, evidence };
    const fromDotenv = ctx.env.dotenv[variable];
    if (source === 'shell' && fromDotenv !== undefined && fromDotenv.trim() !== '' && fromDotenv.trim() !== value) {
      outcome.status = 'warn';
      outcome.message = `${variable} in the shell differs from .env, and the shell wins`;
      evidence.push(`.env has a different ${variable}: ${describeKey(fromDotenv.trim())}`);
      outcome.fix = [`Unset the exported key (unset ${variable}) or make .env match; the app uses the shell's value.`];
    }
    if (spec.pattern && !spec.pattern.test(value)) {
      return {
        status: 'fail',
        message: `${variable} does not look like a ${provider} key (expected ${spec.shape})`,
        evidence,
        fix: [`Copy the key again from ${spec.help}; check for quotes or spaces.`],
        docs: spec.help,
      };
    }
    // The scaffolder writes CHATKIT_MODEL=scripted for an offline start; switching only the
    // provider to a real one then sends model "scripted" upstream, and every reply fails.
    if (env.CHATKIT_MODEL?.trim() === 'scripted') {
      const defaultModel = isProviderId(provider) ? PROVIDERS[provider].defaultModel : undefined;
      return {
        status: 'fail',
        message: `CHATKIT_MODEL is "scripted", which ${provider} does not have`,
        evidence: [...evidence, `CHATKIT_MODEL=scripted (${describeSource(ctx.env.sources.CHATKIT_MODEL ?? '.env')})`],
        fix: [`Set CHATKIT_MODEL in .env to a model that ${provider} offers${defaultModel ? ` (or remove the line to use ${defaultModel})` : ''}.`],
        docs: spec.help,
      };
    }
    if (ctx.online) {
      const online = await onlineCheck(ctx, provider, value);
      evidence.push(...online.evidence);
      if (online.status !== 'pass') return { ...outcome, status: online.status, message: online.message, evidence, fix: online.fix, docs: spec.help };
    }
    return outcome;
  },
};

interface OnlineResult {
  status: 'pass' | 'warn' | 'fail';
  message: string;
  evidence: string[];
  fix?: string[];
}

/** One models call with a 5 s limit; the key goes in a header, never in a printed URL. */
async function onlineCheck(ctx: DoctorContext, provider: string, key: string): Promise<OnlineResult> {
  const env = ctx.env.values;
  const info = PROVIDERS[provider as keyof typeof PROVIDERS];
  const model = env.CHATKIT_MODEL ?? info.defaultModel;
  // Every provider we support speaks the OpenAI-compatible models list (Gemini at its /v1beta/openai/ base).
  const base = (info.baseURLVariable ? env[info.baseURLVariable] : undefined) ?? info.defaultBaseURL;
  if (!base) return { status: 'warn', message: `no base URL to call for ${provider}`, evidence: [`set ${info.baseURLVariable ?? 'the base URL'}`] };
  const url = `${base.replace(/\/+$/, '')}/models`;
  const headers = { authorization: `Bearer ${key}` };
  let response: Response;
  try {
    response = await ctx.fetch(url, { headers, signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(5_000)]) });
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? 'no answer within 5 s' : (socketErrorCode(error) ?? (error as Error).message);
    // Asked to confirm the provider online, not reaching it is a failure: every reply would fail the same way.
    return {
      status: 'fail',
      message: `could not reach ${provider} at ${urlWithoutCredentials(base) ?? 'its base URL'} (${reason})`,
      evidence: [`GET ${urlWithoutCredentials(url) ?? url}: ${reason}`],
      fix: [`Check ${info.baseURLVariable ? `${info.baseURLVariable} and ` : ''}your network or proxy; run without --online to skip this call.`],
    };
  }
  const requestId = response.headers.get('x-request-id');
  const where = `GET ${url}: HTTP ${response.status}${requestId ? ` (x-request-id ${requestId})` : ''}`;
  if (response.status === 401 || response.status === 403) {
    const code = await providerErrorCode(response);
    return { status: 'fail', message: `${provider} rejected the key (${response.status}${code ? ` ${code}` : ''})`, evidence: [where], fix: ['Create a new key in the same organization and project as the model, and put it in .env.'] };
  }
  if (!response.ok) {
    const code = await providerErrorCode(response);
    return { status: 'fail', message: `${provider} answered ${response.status}${code ? ` ${code}` : ''} to a models call`, evidence: [where], fix: [response.status === 429 ? 'Check the plan, billing and rate limits of the account the key belongs to.' : 'Check the base URL and the provider\'s status page, then run doctor --online again.'] };
  }
  if (!model) return { status: 'pass', message: 'the provider accepted the key', evidence: [where] };
  const body = (await response.json().catch(() => ({}))) as { data?: { id?: string }[] };
  const ids = (body.data ?? []).map((m) => m.id?.replace(/^models\//, ''));
  if (ids.includes(model)) return { status: 'pass', message: `the provider accepted the key and lists ${model}`, evidence: [where] };
  return {
    status: 'fail',
    message: `the key works but the provider does not list model ${JSON.stringify(model)}`,
    evidence: [where, `${ids.length} models listed`],
    fix: ['Set CHATKIT_MODEL to a model your key can use (some models need organization verification).'],
  };
}
