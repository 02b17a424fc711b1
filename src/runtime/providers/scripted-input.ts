/**
 * What the scripted model reads from a request's input: the message the user
 * typed last (not the context a thread-item converter adds around it), how
 * many tool rounds followed it, and the last tool output. Pure: the input in,
 * the conversation's state out.
 */
import type { AgentInputItem } from '@openai/agents';

export interface ConversationState {
  /** The text of the last message the user typed; empty when there is none. */
  userText: string;
  /** How many model responses ended in tool calls since that message. */
  toolRounds: number;
  /** The output of the tool call that ends the input, if it ends with one. */
  lastToolOutput: string | undefined;
}

export function readConversation(input: string | AgentInputItem[]): ConversationState {
  const items = inputItems(input);
  const userIndex = lastUserIndex(items);
  return {
    userText: userIndex === -1 ? '' : messageText(items[userIndex]),
    toolRounds: toolRoundsSince(items, userIndex),
    lastToolOutput: lastToolOutput(items),
  };
}

function inputItems(input: string | AgentInputItem[]): AgentInputItem[] {
  return typeof input === 'string' ? [{ role: 'user', content: input } as AgentInputItem] : input;
}

/**
 * Context that a thread-item converter sends as user-role messages (widgets,
 * hidden context, tasks, quoted text, @-mention context): not something the
 * user typed, so never the message a turn is matched against.
 */
export const CONVERTER_CONTEXT_PREFIXES = [
  'The following graphical UI widget',
  'Hidden context for the agent',
  'A message was displayed to the user',
  'A structured input request was displayed',
  'The user is referring to this in particular',
  '# User-provided context for @-mentions',
  'The following image was generated',
] as const;

function isTypedByUser(item: AgentInputItem): boolean {
  if ((item as { role?: string }).role !== 'user') return false;
  const text = messageText(item).trimStart();
  return !CONVERTER_CONTEXT_PREFIXES.some((prefix) => text.startsWith(prefix));
}

function lastUserIndex(items: AgentInputItem[]): number {
  for (let index = items.length - 1; index >= 0; index--) {
    if (isTypedByUser(items[index])) return index;
  }
  return -1;
}

/** How many model responses ended in tool calls since the user spoke: each is followed by a run of tool outputs. */
function toolRoundsSince(items: AgentInputItem[], userIndex: number): number {
  let rounds = 0;
  let previousWasOutput = false;
  for (const item of items.slice(userIndex + 1)) {
    const isOutput = (item as { type?: string }).type === 'function_call_result';
    if (isOutput && !previousWasOutput) rounds++;
    previousWasOutput = isOutput;
  }
  return rounds;
}

function messageText(item: AgentInputItem): string {
  return contentText((item as { content?: unknown }).content);
}

function lastToolOutput(items: AgentInputItem[]): string | undefined {
  const last = items[items.length - 1] as { type?: string; output?: unknown };
  if (last?.type !== 'function_call_result') return undefined;
  const output = last.output;
  if (typeof output === 'string') return output;
  const text = contentText(Array.isArray(output) ? output : [output]);
  return text !== '' ? text : JSON.stringify(output);
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (typeof part === 'string' ? part : typeof part?.text === 'string' ? part.text : ''))
    .join('');
}
