/**
 * The agent behind the chat. Its model comes from src/model.ts, so the same
 * agent runs on OpenAI, Gemini, a local OpenAI-compatible server, or the
 * offline scripted model.
 */
import { Agent } from '@openai/agents';
import type { AgentContext } from 'create-chatkit-backend/agents';
import type { RequestContext } from './context.js';
import type { ChatModel } from './model.js';

export function createAgent(model: ChatModel) {
  return new Agent<AgentContext<RequestContext>>({
    name: 'Assistant',
    model,
    instructions: [
      'You are a helpful assistant inside a chat widget.',
      'Answer briefly and in plain text or short Markdown.',
      'If you do not know something, say so instead of guessing.',
    ].join('\n'),
  });
}
