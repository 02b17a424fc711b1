/**
 * Test helpers for driving a ChatKitServer through `process()` the way a
 * client would, and for normalizing ids and timestamps in what comes back.
 */
import {
  NonStreamingResult,
  StreamingResult,
  type ChatKitServer,
  type ThreadStreamEvent,
} from '../../src/runtime/index.js';

const decoder = new TextDecoder();

/** Runs a streaming request and returns its raw SSE text. */
export async function streamText<C>(server: ChatKitServer<C>, body: unknown, context: C, signal?: AbortSignal): Promise<string> {
  const result = await server.process(JSON.stringify(body), context, { signal });
  if (!(result instanceof StreamingResult)) throw new Error('expected a streaming result');
  let text = '';
  for await (const chunk of result) text += decoder.decode(chunk);
  return text;
}

/** Splits SSE text into frames, asserting each is exactly `data: {json}\n\n`. */
export function parseFrames(text: string): ThreadStreamEvent[] {
  if (text === '') return [];
  if (!text.endsWith('\n\n')) throw new Error(`stream does not end with a blank line: ${JSON.stringify(text.slice(-40))}`);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((frame) => {
      if (!/^data: \{.*\}$/s.test(frame) || frame.includes('\n')) throw new Error(`malformed frame: ${JSON.stringify(frame)}`);
      return JSON.parse(frame.slice(6)) as ThreadStreamEvent;
    });
}

export async function stream<C>(server: ChatKitServer<C>, body: unknown, context: C): Promise<ThreadStreamEvent[]> {
  return parseFrames(await streamText(server, body, context));
}

export async function call<C>(server: ChatKitServer<C>, body: unknown, context: C): Promise<any> {
  const result = await server.process(JSON.stringify(body), context);
  if (!(result instanceof NonStreamingResult)) throw new Error('expected a non-streaming result');
  return JSON.parse(result.json);
}

export async function callRaw<C>(server: ChatKitServer<C>, body: unknown, context: C): Promise<string> {
  const result = await server.process(JSON.stringify(body), context);
  if (!(result instanceof NonStreamingResult)) throw new Error('expected a non-streaming result');
  return result.json;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Replaces generated ids with stable placeholders (`<thr1>`, `<msg2>`, in
 * order of first appearance) and ISO timestamps with `<ts>`, so captured
 * reference output and ours can be compared with `toEqual`.
 */
export function normalize<T>(value: T, ids = new Map<string, string>()): T {
  const counters = new Map<string, number>();
  for (const placeholder of ids.values()) {
    const prefix = placeholder.replace(/^<|\d+>$/g, '');
    counters.set(prefix, (counters.get(prefix) ?? 0) + 1);
  }
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (ISO.test(v)) return '<ts>';
      const match = /^(thr|msg|tc|wf|tsk|atc|shcx)_[0-9a-f]{16,}$/.exec(v);
      if (match) {
        let placeholder = ids.get(v);
        if (!placeholder) {
          const n = (counters.get(match[1]!) ?? 0) + 1;
          counters.set(match[1]!, n);
          placeholder = `<${match[1]}${n}>`;
          ids.set(v, placeholder);
        }
        return placeholder;
      }
      return v;
    }
    if (Array.isArray(v)) return v.map(visit);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x)]));
    return v;
  };
  return visit(value) as T;
}

export function userInput(text: string, extra: Record<string, unknown> = {}) {
  return { content: [{ type: 'input_text', text }], attachments: [], inference_options: {}, ...extra };
}
