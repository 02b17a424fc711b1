/**
 * Replaying one cassette against the project's current code: build the app with
 * model HTTP served from the cassette, send the recorded ChatKit requests in
 * order (rewriting recorded thread/item ids to the ones this run created), and
 * compare what comes back with what was recorded, after normalization.
 */
import { signProjectToken } from '../project/project-token.js';
import type { FastifyInstance } from 'fastify';
import type { EventEmitter } from 'node:events';
import { DEFAULT_PATH } from '../../http/options.js';
import {
  groupExchanges,
  modelLines,
  RERECORD_HINT,
  type Cassette,
  type CassetteLine,
  type EventLine,
  type RecordedExchange,
} from '../cassette/format.js';
import { createReplayingFetch, type ReplayTiming } from '../cassette/replaying-fetch.js';
import { bodyValue } from '../cassette/http-body.js';
import { Normalizer, pairIds, remapIds } from '../cassette/normalize.js';
import { diffSequences, structuralDiff, type Difference } from '../cassette/diff.js';
import type { BuildApp } from '../project/load-app.js';
import type { ChatKitDecoration } from '../project/start.js';
import { buildAppFailure } from '../project/build-failure.js';
import { parseSseEvents } from './sse.js';

const DIFF_LIMIT = 8;

export interface ExchangeResult {
  index: number;
  type: string;
  differences: Difference[];
  /** More differences were found than are listed (the first ones explain the rest). */
  truncated?: boolean;
}

export interface SessionResult {
  equal: boolean;
  requests: number;
  modelCalls: number;
  /** Requests whose output differs, with their first differences. */
  exchanges: ExchangeResult[];
  /** Model requests that differ from the recorded ones (the app asked something else). */
  modelDifferences: { call: number; differences: Difference[] }[];
  /** Calls the cassette could not answer, with the re-record command. */
  modelErrors: string[];
  /** Recorded model calls the app never made. */
  unusedModelCalls: number;
  /** The cassette's lines with the expected events re-recorded (only with `update`). */
  updatedLines?: CassetteLine[];
  /** Why `update` wrote nothing: the model calls no longer match what the cassette can answer. */
  updateRefused?: string;
}

export interface ReplaySessionOptions {
  buildApp: BuildApp;
  env: Record<string, string>;
  timing?: ReplayTiming;
  update?: boolean;
}

interface ReplayedExchange {
  status: number;
  streaming: boolean;
  events: unknown[];
  eventTimes: number[];
  body?: unknown;
  sentBody: unknown;
}

export async function replaySession(cassette: Cassette, options: ReplaySessionOptions): Promise<SessionResult> {
  const recordedModel = modelLines(cassette);
  const model = createReplayingFetch(recordedModel, { timing: options.timing ?? 'fast', rerecordHint: RERECORD_HINT });
  let app: FastifyInstance;
  try {
    app = await options.buildApp({ env: options.env, fetch: model.fetch, logger: false });
  } catch (error) {
    // The project, not the cassette, is at fault: exit 2 with its message, not a crash.
    throw buildAppFailure(error, options.env);
  }
  try {
    await app.ready();
    const chatkit = (app as unknown as { chatkit?: ChatKitDecoration }).chatkit;
    const path = chatkit?.path ?? DEFAULT_PATH;
    const headers = await authHeaders(options.env);
    const exchanges = groupExchanges(cassette);

    const ids = new Map<string, string>();
    const expectedNormalizer = new Normalizer();
    const actualNormalizer = new Normalizer();
    const results: ExchangeResult[] = [];
    const replayed: ReplayedExchange[] = [];

    for (const exchange of exchanges) {
      const actual = await send(app, path, headers, remapIds(exchange.request.body, ids), chatkit?.observer);
      replayed.push(actual);
      const expected = expectedOutput(exchange);
      pairIds(expected.events, actual.events, ids);
      if (expected.body !== undefined) pairIds(expected.body, actual.body, ids);
      const want = expectedNormalizer.normalize(expected);
      const got = actualNormalizer.normalize({ status: actual.status, events: actual.events, body: actual.body });
      // One more than is shown, to know whether the list was cut.
      const found = [
        ...structuralDiff(want.status, got.status, 1, 'status'),
        ...diffSequences(want.events, got.events, DIFF_LIMIT + 1),
        ...(want.body === undefined ? [] : structuralDiff(want.body, got.body, DIFF_LIMIT + 1, 'body')),
      ];
      const differences = found.slice(0, DIFF_LIMIT);
      if (differences.length > 0) {
        results.push({ index: exchange.request.index, type: exchange.request.type, differences, ...(found.length > DIFF_LIMIT ? { truncated: true } : {}) });
      }
    }

    const modelDifferences = compareModelRequests(recordedModel.map((line) => line.body), model.calls.map((call) => call.body));
    const unused = model.unused().length;
    const equal = results.length === 0 && modelDifferences.length === 0 && model.mismatches.length === 0 && unused === 0;
    return {
      equal,
      requests: exchanges.length,
      modelCalls: recordedModel.length,
      exchanges: results,
      modelDifferences,
      modelErrors: model.mismatches.map((m) => m.message),
      unusedModelCalls: unused,
      ...(options.update ? updateOf(cassette, exchanges, replayed, model.calls.map((call) => call.body), model.mismatches.length, unused) : {}),
    };
  } finally {
    await app.close();
  }
}

function expectedOutput(exchange: RecordedExchange): { status: number; events: unknown[]; body?: unknown } {
  const status = exchange.response?.status ?? 200;
  const events = exchange.events.map((line) => line.event);
  return exchange.response?.body === undefined ? { status, events } : { status, events, body: exchange.response.body };
}

async function send(
  app: FastifyInstance,
  path: string,
  headers: Record<string, string>,
  body: unknown,
  observer: EventEmitter | undefined,
): Promise<ReplayedExchange> {
  // Requests are sent one at a time, so every observed event belongs to this one.
  const eventTimes: number[] = [];
  const onEvent = (e: { atMs: number }) => eventTimes.push(Math.round(e.atMs));
  observer?.on('event', onEvent);
  try {
    const response = await app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(body),
    });
    const streaming = String(response.headers['content-type'] ?? '').startsWith('text/event-stream');
    if (streaming) return { status: response.statusCode, streaming, events: parseSseEvents(response.body), eventTimes, sentBody: body };
    return { status: response.statusCode, streaming, events: [], eventTimes, body: bodyValue(response.body), sentBody: body };
  } finally {
    observer?.off('event', onEvent);
  }
}

function compareModelRequests(recorded: unknown[], actual: unknown[]): { call: number; differences: Difference[] }[] {
  const out: { call: number; differences: Difference[] }[] = [];
  const expectedNormalizer = new Normalizer();
  const actualNormalizer = new Normalizer();
  for (let call = 0; call < Math.min(recorded.length, actual.length); call++) {
    const differences = structuralDiff(expectedNormalizer.normalize(recorded[call]), actualNormalizer.normalize(actual[call]), DIFF_LIMIT, 'body');
    if (differences.length > 0) out.push({ call, differences });
  }
  return out;
}

/**
 * `--update` is only meaningful when every model call was answered from the cassette: a run
 * that got "not in the cassette" errors would bake those errors into the expected events.
 */
function updateOf(
  cassette: Cassette, exchanges: RecordedExchange[], replayed: ReplayedExchange[], sentModelBodies: unknown[], missing: number, unused: number,
): Pick<SessionResult, 'updatedLines' | 'updateRefused'> {
  if (missing > 0 || unused > 0) {
    const what = missing > 0 ? `the code now makes ${missing} model call(s) the cassette does not hold` : `the code no longer makes ${unused} recorded model call(s)`;
    return { updateRefused: `--update cannot fix this cassette: ${what}; re-record it with \`${RERECORD_HINT}\`` };
  }
  return { updatedLines: updatedLines(cassette, exchanges, replayed, sentModelBodies) };
}

/**
 * `--update`: requests as sent this run (ids consistent with the new events), new events, and the
 * recorded model answers under the model requests the code sends now (a request is an expectation
 * like the events; the answer cannot be regenerated offline, so it stays as recorded).
 */
function updatedLines(cassette: Cassette, exchanges: RecordedExchange[], replayed: ReplayedExchange[], sentModelBodies: unknown[]): CassetteLine[] {
  const lines: CassetteLine[] = [];
  const modelsByRequest = new Map<number | undefined, CassetteLine[]>();
  modelLines(cassette).forEach((recorded, ordinal) => {
    const line = ordinal < sentModelBodies.length ? { ...recorded, body: sentModelBodies[ordinal] } : recorded;
    const list = modelsByRequest.get(line.request) ?? [];
    list.push(line);
    modelsByRequest.set(line.request, list);
  });
  exchanges.forEach((exchange, position) => {
    const actual = replayed[position];
    const index = exchange.request.index;
    lines.push({ ...exchange.request, body: actual.sentBody });
    lines.push(...(modelsByRequest.get(index) ?? []));
    actual.events.forEach((event, i) => lines.push({ kind: 'event', request: index, t: actual.eventTimes[i] ?? 0, event } satisfies EventLine));
    lines.push({
      kind: 'response',
      request: index,
      status: actual.status,
      streaming: actual.streaming,
      ...(exchange.response?.body !== undefined ? { body: actual.body } : {}),
    });
  });
  // Model calls not tied to a request stay, at the end.
  lines.push(...(modelsByRequest.get(undefined) ?? []));
  return lines;
}

/** With JWT auth configured, replay signs a short-lived token for a replay user. */
async function authHeaders(env: Record<string, string>): Promise<Record<string, string>> {
  const token = await signProjectToken(env, 'replay-user', '10m');
  return token ? { authorization: `Bearer ${token}` } : {};
}
