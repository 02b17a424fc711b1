/**
 * Builds the Responses API's streaming events (agents-sdk.md §4.3) and final
 * `Response` object for one scripted reply: the full sequence the real API
 * sends, not just the events the Agents SDK reads, so bridge code that
 * enriches from raw events (annotations, reasoning) can be tested too.
 */
import {
  argumentChunks,
  replyText,
  textChunks,
  toolArguments,
  type MockReply,
} from './mock-openai-script.js';

export interface ReplyIds {
  responseId: string;
  /** Returns a fresh id with the given prefix (`msg`, `fc`, `rs`, `call`). */
  next(prefix: string): string;
}

export interface BuiltResponse {
  /** Stream events without `sequence_number` (the writer numbers them). */
  events: Record<string, unknown>[];
  response: Record<string, unknown>;
}

const USAGE = {
  input_tokens: 10,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 5,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 15,
};

export function buildResponse(reply: MockReply, body: any, ids: ReplyIds, chunkSize: number): BuiltResponse {
  const base = responseObject(ids.responseId, body);
  const events: Record<string, unknown>[] = [];
  const output: Record<string, unknown>[] = [];

  events.push({ type: 'response.created', response: { ...base, status: 'in_progress', output: [] } });
  events.push({ type: 'response.in_progress', response: { ...base, status: 'in_progress', output: [] } });

  if (reply.reasoning !== undefined) {
    const id = ids.next('rs');
    const output_index = output.length;
    const summaryPart = { type: 'summary_text', text: reply.reasoning };
    events.push({ type: 'response.output_item.added', output_index, item: { id, type: 'reasoning', summary: [] } });
    events.push({ type: 'response.reasoning_summary_part.added', item_id: id, output_index, summary_index: 0, part: { type: 'summary_text', text: '' } });
    events.push({ type: 'response.reasoning_summary_text.delta', item_id: id, output_index, summary_index: 0, delta: reply.reasoning });
    events.push({ type: 'response.reasoning_summary_text.done', item_id: id, output_index, summary_index: 0, text: reply.reasoning });
    events.push({ type: 'response.reasoning_summary_part.done', item_id: id, output_index, summary_index: 0, part: summaryPart });
    const item = { id, type: 'reasoning', summary: [summaryPart] };
    events.push({ type: 'response.output_item.done', output_index, item });
    output.push(item);
  }

  const text = replyText(reply);
  if (text !== '' || !reply.toolCalls?.length) {
    const id = ids.next('msg');
    const output_index = output.length;
    const annotations = (reply.annotations ?? []).map((annotation) => ({ type: 'url_citation', ...annotation }));
    events.push({ type: 'response.output_item.added', output_index, item: { id, type: 'message', status: 'in_progress', role: 'assistant', content: [] } });
    events.push({ type: 'response.content_part.added', item_id: id, output_index, content_index: 0, part: { type: 'output_text', text: '', annotations: [], logprobs: [] } });
    for (const delta of textChunks(reply, chunkSize)) {
      events.push({ type: 'response.output_text.delta', item_id: id, output_index, content_index: 0, delta, logprobs: [] });
    }
    if (reply.streamError) {
      events.push({ type: 'error', code: reply.streamError.code ?? 'server_error', message: reply.streamError.message, param: null });
      return { events, response: { ...base, status: 'failed', output } };
    }
    annotations.forEach((annotation, annotation_index) => {
      events.push({ type: 'response.output_text.annotation.added', item_id: id, output_index, content_index: 0, annotation_index, annotation });
    });
    const part = { type: 'output_text', text, annotations, logprobs: [] };
    events.push({ type: 'response.output_text.done', item_id: id, output_index, content_index: 0, text, logprobs: [] });
    events.push({ type: 'response.content_part.done', item_id: id, output_index, content_index: 0, part });
    const item = { id, type: 'message', status: 'completed', role: 'assistant', content: [part] };
    events.push({ type: 'response.output_item.done', output_index, item });
    output.push(item);
  }

  for (const call of reply.toolCalls ?? []) {
    const id = ids.next('fc');
    const call_id = call.callId ?? ids.next('call');
    const output_index = output.length;
    const args = toolArguments(call);
    events.push({ type: 'response.output_item.added', output_index, item: { id, type: 'function_call', status: 'in_progress', arguments: '', call_id, name: call.name } });
    for (const delta of argumentChunks(args)) {
      events.push({ type: 'response.function_call_arguments.delta', item_id: id, output_index, delta });
    }
    events.push({ type: 'response.function_call_arguments.done', item_id: id, output_index, arguments: args });
    const item = { id, type: 'function_call', status: 'completed', arguments: args, call_id, name: call.name };
    events.push({ type: 'response.output_item.done', output_index, item });
    output.push(item);
  }

  const response = { ...base, status: 'completed', output, usage: USAGE };
  events.push({ type: 'response.completed', response });
  return { events, response };
}

function responseObject(id: string, body: any): Record<string, unknown> {
  return {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'in_progress',
    error: null,
    incomplete_details: null,
    instructions: body?.instructions ?? null,
    max_output_tokens: null,
    model: body?.model ?? 'mock-model',
    output: [],
    parallel_tool_calls: true,
    previous_response_id: body?.previous_response_id ?? null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: 1,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: body?.tools ?? [],
    top_p: 1,
    truncation: 'disabled',
    usage: null,
    user: null,
    metadata: {},
  };
}
