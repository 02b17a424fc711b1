/**
 * An agent with tools that stream widgets. Its model comes from src/model.ts.
 */
import { Agent } from '@openai/agents';
import type { AgentContext } from 'create-chatkit-backend/agents';
import type { RequestContext } from './context.js';
import type { ChatModel } from './model.js';
import { addTaskTool, listTasksTool, summarizeTasksTool, switchThemeTool, WIDGET_RULES } from './tools/tasks.js';

export function createAgent(model: ChatModel) {
  return new Agent<AgentContext<RequestContext>>({
    name: 'Task assistant',
    model,
    instructions: [
      'You help the user keep track of their tasks. Use the tools to show, add and summarize tasks.',
      WIDGET_RULES,
      'When the user asks for light or dark mode, call switch_theme.',
      'Answer briefly and in plain text.',
    ].join('\n'),
    tools: [listTasksTool, addTaskTool, summarizeTasksTool, switchThemeTool],
    // The browser runs switch_theme: stop the run so ChatKit can execute it.
    toolUseBehavior: { stopAtToolNames: ['switch_theme'] },
  });
}
