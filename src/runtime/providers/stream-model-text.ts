/**
 * Streams a reply's text straight from a `Model`, without an agent or a
 * runner: for handlers that only need words (the `basic` template).
 */
import type { AgentInputItem, Model, ModelRequest } from '@openai/agents';

export interface StreamModelTextOptions {
  signal?: AbortSignal;
  instructions?: string;
}

/**
 * Yields the text deltas of one model response. If a provider sends the
 * text only in its final response (no deltas), that text is yielded once.
 * Provider errors are thrown as they are; map them with `toChatKitError`.
 */
export async function* streamModelText(
  model: Model,
  input: string | AgentInputItem[],
  options: StreamModelTextOptions = {},
): AsyncGenerator<string> {
  const request: ModelRequest = {
    systemInstructions: options.instructions,
    input,
    modelSettings: {},
    tools: [],
    handoffs: [],
    outputType: 'text',
    tracing: false,
    signal: options.signal,
  };
  let streamed = false;
  for await (const event of model.getStreamedResponse(request)) {
    if (event.type === 'output_text_delta' && event.delta !== '') {
      streamed = true;
      yield event.delta;
    } else if (event.type === 'response_done' && !streamed) {
      const text = event.response.output
        .flatMap((item) => (item.type === 'message' ? item.content : []))
        .map((part) => (part.type === 'output_text' ? part.text : ''))
        .join('');
      if (text !== '') yield text;
    }
  }
}
