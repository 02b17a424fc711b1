/**
 * Builds Chat Completions `chat.completion.chunk`s (agents-sdk.md §4.4) and
 * the non-streaming `chat.completion` for one scripted reply. This is the
 * wire format Gemini's OpenAI-compatible endpoint, Ollama, vLLM and
 * LM Studio speak.
 */
import {
  argumentChunks,
  replyText,
  textChunks,
  toolArguments,
  type MockReply,
} from './mock-openai-script.js';
import type { ReplyIds } from './mock-openai-responses.js';

export interface BuiltCompletion {
  /** The `data:` payloads in order (the writer appends `data: [DONE]`). */
  chunks: Record<string, unknown>[];
  completion: Record<string, unknown>;
}

export function buildCompletion(reply: MockReply, body: any, ids: ReplyIds, chunkSize: number): BuiltCompletion {
  const head = {
    id: ids.responseId,
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model: body?.model ?? 'mock-model',
    system_fingerprint: null,
  };
  const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null) => ({
    ...head,
    choices: [{ index: 0, delta, logprobs: null, finish_reason }],
  });
  const chunks: Record<string, unknown>[] = [chunk({ role: 'assistant', content: '' })];

  for (const content of textChunks(reply, chunkSize)) chunks.push(chunk({ content }));
  if (reply.streamError) {
    chunks.push({ error: { message: reply.streamError.message, type: 'server_error', code: reply.streamError.code ?? null, param: null } });
    return { chunks, completion: {} };
  }
  const annotations = (reply.annotations ?? []).map(({ url, title, start_index, end_index }) => ({
    type: 'url_citation',
    url_citation: { url, title, start_index, end_index },
  }));
  if (annotations.length > 0) chunks.push(chunk({ annotations }));

  const toolCalls = (reply.toolCalls ?? []).map((call) => ({
    id: call.callId ?? ids.next('call'),
    type: 'function',
    function: { name: call.name, arguments: toolArguments(call) },
  }));
  toolCalls.forEach((call, index) => {
    chunks.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
    for (const piece of argumentChunks(call.function.arguments)) {
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });

  const finish_reason = toolCalls.length > 0 ? 'tool_calls' : 'stop';
  chunks.push(chunk({}, finish_reason));
  const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
  if (body?.stream_options?.include_usage) chunks.push({ ...head, choices: [], usage });

  const text = replyText(reply);
  const completion = {
    id: ids.responseId,
    object: 'chat.completion',
    created: head.created,
    model: head.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && toolCalls.length > 0 ? null : text,
          refusal: null,
          ...(annotations.length > 0 ? { annotations } : {}),
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        logprobs: null,
        finish_reason,
      },
    ],
    usage,
  };
  return { chunks, completion };
}
