/**
 * Why a turn failed, in the words `dev` prints under its red line: the
 * provider's status and code with the variable to check, a connection
 * failure with the URL (no credentials), or the error the server logged
 * (a tool that threw, a store's driver message) with its first frames.
 * Pure: the failure and the project's provider settings in, lines out.
 */
import { isProviderId, PROVIDERS } from '../../runtime/providers/provider-config.js';

/** An error as the runtime logs it (`loggableError`: already scrubbed of key-shaped text). */
export interface LoggedError {
  type?: string;
  message?: string;
  stack?: string;
  code?: string | number;
  status?: number;
  cause?: LoggedError;
}

export type TurnFailure =
  /** The provider answered with an error status. */
  | { kind: 'provider-status'; url: string; status: number; code?: string; message?: string }
  /** The provider could not be reached (refused, DNS, timeout). */
  | { kind: 'provider-unreachable'; url: string; code: string }
  /** The server logged an error while handling the request. */
  | { kind: 'logged'; error: LoggedError; note?: string }
  /** A tool threw and the model was told so (`reportToolError`): the turn went on. */
  | { kind: 'tool'; tool: string; error: LoggedError };

interface ProviderWords {
  name: string;
  keyVariable: string;
  baseURLVariable: string;
}

function providerWords(env: Record<string, string | undefined>): ProviderWords {
  const id = env.CHATKIT_MODEL_PROVIDER?.trim() || 'openai';
  const info = isProviderId(id) ? PROVIDERS[id] : undefined;
  const name = { openai: 'OpenAI', gemini: 'Gemini', 'openai-compatible': 'the model server', scripted: 'the scripted model' }[id] ?? id;
  return {
    name,
    keyVariable: info?.keyVariables.join(' or ') || 'the API key',
    baseURLVariable: info?.baseURLVariable ?? 'the base URL',
  };
}

const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens there',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS)',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  ECONNRESET: 'the connection was reset',
  TimeoutError: 'no answer in time',
};

function describeProviderStatus(failure: Extract<TurnFailure, { kind: 'provider-status' }>, words: ProviderWords): string {
  const what = `${failure.status}${failure.code ? ` ${failure.code}` : ''}`;
  const { name, keyVariable, baseURLVariable } = words;
  if (failure.status === 401 || failure.status === 403) return `${capitalize(name)} rejected the key (${what}): check ${keyVariable} in .env`;
  if (failure.status === 429 && failure.code === 'insufficient_quota') {
    return `${capitalize(name)} says the account is out of quota (${what}): check the plan and billing of the account ${keyVariable} belongs to`;
  }
  if (failure.status === 429) return `${capitalize(name)} is rate limiting requests (${what}): wait a moment and try again`;
  if (failure.status === 404) return `${capitalize(name)} answered ${what} for ${failure.url}: check CHATKIT_MODEL and ${baseURLVariable}`;
  if (failure.status >= 500) return `${capitalize(name)} failed on its side (${what}): try again later`;
  return `${capitalize(name)} refused the request (${what})${failure.message ? `: ${failure.message}` : ''}`;
}

/** `code` of an error or of the first cause that has one (fetch puts the socket error in `cause`). */
function causeCode(error: LoggedError): string | undefined {
  for (let current: LoggedError | undefined = error, depth = 0; current && depth < 5; current = current.cause, depth++) {
    if (typeof current.code === 'string' && current.code !== '') return current.code;
  }
  return undefined;
}

function describeLogged(error: LoggedError, verbose: boolean): string[] {
  const code = causeCode(error);
  // pino's serializer names a plain logged object `Object`: that is no error class.
  const type = !error.type || error.type === 'Object' ? 'Error' : error.type;
  const head = `${type}: ${error.message ?? '(no message)'}${code ? ` (${code})` : ''}`;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).map((line) => line.trim());
  const lines = [head, ...(verbose ? frames : frames.slice(0, 3))];
  // The root cause usually says more (a socket error under "fetch failed", a driver error under a wrapper).
  const cause = error.cause;
  if (cause?.message && cause.message !== error.message) lines.push(`caused by ${cause.type ?? 'Error'}: ${cause.message}`);
  return lines;
}

export function describeTurnFailure(failure: TurnFailure, env: Record<string, string | undefined>, verbose: boolean): string[] {
  const words = providerWords(env);
  switch (failure.kind) {
    case 'provider-status':
      return [describeProviderStatus(failure, words)];
    case 'provider-unreachable':
      return [`could not reach ${words.name} at ${failure.url} (${failure.code}: ${NETWORK_CAUSES[failure.code] ?? 'network error'}): is it running, and is ${words.baseURLVariable} right?`];
    case 'logged':
      // The logger's own sentence ("ChatKit handler failed") only when the error has nothing to say.
      return failure.error.message ? describeLogged(failure.error, verbose) : [failure.note ?? 'an error was logged', ...describeLogged(failure.error, verbose).slice(1)];
    case 'tool': {
      const [first, ...rest] = describeLogged(failure.error, verbose);
      return [`tool ${failure.tool} threw, and the model was told it failed: ${first}`, ...rest];
    }
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
