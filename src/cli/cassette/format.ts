/**
 * The cassette format: JSONL, one JSON value per line.
 *
 * Line 1 is the header. Then, in the order they happened:
 *   - `request`: a ChatKit request as the client sent it (body only; headers are not kept);
 *   - `event`: one streamed ThreadStreamEvent of that request, `t` = ms since the request;
 *   - `response`: the end of a request (status, and the JSON body of non-streaming requests);
 *   - `model`: one HTTP exchange with the model provider (request + streamed chunks with timing).
 * JSONL diffs well in code review and each line stays readable on its own.
 */
import { urlWithoutCredentials } from './url-without-credentials.js';

export const CASSETTE_KIND = 'chatkit-session';
export const CASSETTE_VERSION = 1;
export const CASSETTE_EXTENSION = '.cassette.jsonl';
/**
 * The command that records cassettes, for messages that tell the user to record or re-record one.
 * Said in a project, where the command is a local bin: `npx` finds it (a bare name is not on the PATH).
 */
export const RERECORD_HINT = 'npx create-chatkit-backend dev --record cassettes';

export interface CassetteHeader {
  kind: typeof CASSETTE_KIND;
  version: number;
  cliVersion: string;
  recordedAt: string;
  /** Names of the redactions applied when the cassette was written (e.g. `header-allowlist`, `openai-key`). */
  redactions: string[];
  /** What `--update` or a recording tool was; free text. */
  note?: string;
  /**
   * The model settings the session was recorded with (provider, model name,
   * compatible base URL). Replay applies them, since the recorded model traffic
   * only fits that provider's API, whatever `.env` says where the replay runs.
   */
  env?: Record<string, string>;
}

/** The configuration variables a cassette keeps (none of them secret); plus `CHATKIT_SCRIPT` for the scripted provider. */
const RECORDED_ENV_VARIABLES = ['CHATKIT_MODEL_PROVIDER', 'CHATKIT_MODEL', 'CHATKIT_MODEL_BASE_URL'] as const;

export function recordedEnv(env: Record<string, string | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of RECORDED_ENV_VARIABLES) {
    const value = env[name];
    if (!value) continue;
    kept[name] = name.endsWith('_URL') ? (urlWithoutCredentials(value) ?? value) : value;
  }
  // The scripted model's replies come from its script (none means echo), not from HTTP:
  // kept even when empty, so a script set in .env later does not change what replays.
  if (kept.CHATKIT_MODEL_PROVIDER === 'scripted') kept.CHATKIT_SCRIPT = env.CHATKIT_SCRIPT?.trim() ?? '';
  return kept;
}


export interface RequestLine {
  kind: 'request';
  /** Ordinal of the request in the session, from 0. */
  index: number;
  type: string;
  body: unknown;
}

export interface EventLine {
  kind: 'event';
  request: number;
  /** Milliseconds since the request arrived. */
  t: number;
  event: unknown;
}

export interface ResponseLine {
  kind: 'response';
  request: number;
  status: number;
  streaming: boolean;
  /** The JSON body of a non-streaming response (streaming responses are the events). */
  body?: unknown;
}

export interface ModelChunk {
  /** Milliseconds since the model request was sent. */
  t: number;
  data: string;
}

export interface ModelLine {
  kind: 'model';
  /** Ordinal of the model call in the session, from 0. */
  call: number;
  /** The ChatKit request during which the call was made, when known. */
  request?: number;
  method: string;
  /** URL path (no origin: the base URL may differ between recording and replay). */
  path: string;
  headers: Record<string, string>;
  body: unknown;
  response: {
    status: number;
    headers: Record<string, string>;
    chunks: ModelChunk[];
  };
}

export type CassetteLine = RequestLine | EventLine | ResponseLine | ModelLine;

export interface Cassette {
  header: CassetteHeader;
  lines: CassetteLine[];
}

/** One recorded ChatKit request with what it produced, the unit replay compares. */
export interface RecordedExchange {
  request: RequestLine;
  events: EventLine[];
  response?: ResponseLine;
}

export function groupExchanges(cassette: Cassette): RecordedExchange[] {
  const byIndex = new Map<number, RecordedExchange>();
  for (const line of cassette.lines) {
    if (line.kind === 'request') byIndex.set(line.index, { request: line, events: [] });
    else if (line.kind === 'event') byIndex.get(line.request)?.events.push(line);
    else if (line.kind === 'response') {
      const exchange = byIndex.get(line.request);
      if (exchange) exchange.response = line;
    }
  }
  return [...byIndex.values()].sort((a, b) => a.request.index - b.request.index);
}

export function modelLines(cassette: Cassette): ModelLine[] {
  return cassette.lines.filter((line): line is ModelLine => line.kind === 'model').sort((a, b) => a.call - b.call);
}

export function serializeCassette(cassette: Cassette): string {
  return [cassette.header, ...cassette.lines].map((line) => JSON.stringify(line)).join('\n') + '\n';
}
