/**
 * An offline, deterministic Agents SDK `Model`. It picks the script turn
 * whose `when` matches the last user message, and the step within that turn
 * from how many tool rounds already happened since that message, so the
 * same conversation always gets the same answer (across restarts, threads
 * and concurrent runs: the model keeps no per-conversation state). With no
 * matching turn it echoes the user ("You said: …"), or, right after a tool
 * round, repeats the tool's output.
 */
import { APIError } from 'openai';
import {
  Usage,
  type Model,
  type ModelRequest,
  type ModelResponse,
  type StreamEvent,
} from '@openai/agents';
import { ENV, ProviderConfigError } from './provider-config.js';
import { readConversation } from './scripted-input.js';
import { stepsOf, turnMatches, type ScriptedScript, type ScriptedStep } from './scripted-script.js';

type OutputItem = Extract<StreamEvent, { type: 'response_done' }>['response']['output'][number];

export class ScriptedModel implements Model {
  /**
   * How many of the latest requests `requests` keeps (default 0: none). A
   * request holds the whole conversation, its abort signal and tracing
   * state, and generated apps run this model for good without a key, so
   * keeping them is opt-in and bounded (set it in tests that inspect them).
   */
  keepRequests = 0;
  /** The latest `keepRequests` requests the model received, oldest first. */
  readonly requests: ModelRequest[] = [];
  readonly script: ScriptedScript;
  private counter = 0;

  constructor(script: ScriptedScript = {}) {
    this.script = script;
  }

  async getResponse(request: ModelRequest): Promise<ModelResponse> {
    this.record(request);
    const step = this.stepFor(request);
    if (step.error) throw scriptedError(step.error);
    const { output, responseId } = this.outputOf(step);
    return { output, usage: new Usage({ requests: 1 }), responseId };
  }

  async *getStreamedResponse(request: ModelRequest): AsyncIterable<StreamEvent> {
    this.record(request);
    const step = this.stepFor(request);
    const { output, responseId, messageId } = this.outputOf(step);
    const delayMs = step.delayMs ?? this.script.delayMs ?? 0;
    yield { type: 'response_started' };
    for (const [index, delta] of words(step.text ?? '').entries()) {
      if (index > 0 && delayMs > 0) await sleep(delayMs, request.signal);
      request.signal?.throwIfAborted();
      yield { type: 'output_text_delta', delta, itemId: messageId };
    }
    if (step.error) throw scriptedError(step.error);
    yield {
      type: 'response_done',
      response: { id: responseId, usage: { requests: 1, inputTokens: 0, outputTokens: 0, totalTokens: 0 }, output },
    };
  }

  private record(request: ModelRequest): void {
    if (this.keepRequests <= 0) return;
    this.requests.push(request);
    if (this.requests.length > this.keepRequests) this.requests.splice(0, this.requests.length - this.keepRequests);
  }

  /** The step answering this request: scripted, or the echo fallback. */
  stepFor(request: ModelRequest): ScriptedStep {
    const { userText, toolRounds, lastToolOutput } = readConversation(request.input);
    const turn = (this.script.turns ?? []).find((candidate) => turnMatches(candidate, userText));
    const step = turn ? stepsOf(turn)[toolRounds] : undefined;
    if (step) {
      assertToolsExist(step, request);
      return step;
    }
    // Right after a tool round the script does not cover, repeat what the tool said, when it said
    // something: a client tool's result (`{"ok":true}` from the browser) is data, not a reply.
    // (An empty reply is no answer: the agent would ask the model again.)
    if (lastToolOutput !== undefined) return { text: isStructuredData(lastToolOutput) ? 'Done.' : lastToolOutput };
    return { text: `You said: ${userText}` };
  }

  private outputOf(step: ScriptedStep) {
    const id = ++this.counter;
    const responseId = `resp_scripted_${id}`;
    const messageId = `msg_scripted_${id}`;
    const output: OutputItem[] = [];
    if (step.text) {
      output.push({
        type: 'message',
        id: messageId,
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: step.text }],
      });
    }
    for (const [index, call] of (step.toolCalls ?? []).entries()) {
      output.push({
        type: 'function_call',
        id: `fc_scripted_${id}_${index}`,
        callId: call.callId ?? `call_scripted_${id}_${index}`,
        name: call.name,
        status: 'completed',
        arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
      });
    }
    return { output, responseId, messageId };
  }
}

/** A JSON object or array (what client tools return), as opposed to a sentence. */
function isStructuredData(text: string): boolean {
  const trimmed = text.trim();
  if (!/^[[{]/.test(trimmed)) return false;
  try {
    return typeof JSON.parse(trimmed) === 'object';
  } catch {
    return false;
  }
}

/** Word-sized deltas, spaces kept, so the joined deltas equal the text. */
function words(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text === '' ? [] : [text]);
}

function assertToolsExist(step: ScriptedStep, request: ModelRequest) {
  const available = new Set<string>([
    ...request.tools.map((tool) => (tool as { name: string }).name),
    ...request.handoffs.map((handoff) => handoff.toolName),
  ]);
  for (const call of step.toolCalls ?? []) {
    if (!available.has(call.name)) {
      const list = available.size > 0 ? [...available].join(', ') : 'none';
      throw new ProviderConfigError(
        `The scripted model was told to call the tool "${call.name}", but the agent's tools are: ${list}. ` +
          `Fix the tool name in the script (${ENV.script}).`,
        ENV.script,
      );
    }
  }
}

/** The same error classes the `openai` client throws, so `toChatKitError` treats both alike. */
function scriptedError(error: NonNullable<ScriptedStep['error']>): Error {
  const message = error.message ?? defaultMessage(error.status);
  if (error.status === undefined) return APIError.generate(undefined, new Error(message), message, undefined);
  const body = { error: { message, type: 'scripted_error', code: error.code ?? null, param: null } };
  return APIError.generate(error.status, body, message, new Headers({ 'x-request-id': 'req_scripted' }));
}

function defaultMessage(status: number | undefined): string {
  if (status === undefined) return 'Connection error (scripted).';
  if (status === 401) return 'Incorrect API key provided (scripted).';
  if (status === 429) return 'Rate limit reached (scripted).';
  if (status >= 500) return 'The server had an error while processing your request (scripted).';
  return `Scripted error ${status}.`;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
