/**
 * A multi-agent flow: a triage agent reads the request and hands off to the
 * specialist that owns the right tools. Each specialist can hand back to
 * triage when the user changes topic. All agents share the model from
 * src/model.ts and the same AgentContext, so every tool can stream widgets.
 */
import { Agent, handoff } from '@openai/agents';
import type { AgentContext } from 'create-chatkit-backend/agents';
import type { RequestContext } from './context.js';
import type { ChatModel } from './model.js';
import { addTaskTool, listTasksTool, summarizeTasksTool, switchThemeTool, WIDGET_RULES } from './tools/tasks.js';

type ChatAgent = Agent<AgentContext<RequestContext>>;

export function createAgent(model: ChatModel): ChatAgent {
  const taskManager: ChatAgent = new Agent<AgentContext<RequestContext>>({
    name: 'Task manager',
    handoffDescription: 'Shows the task list and adds tasks.',
    model,
    instructions: ['You manage the user\'s task list with list_tasks and add_task.', WIDGET_RULES, 'Answer briefly.'].join('\n'),
    tools: [listTasksTool, addTaskTool],
  });

  const reporter: ChatAgent = new Agent<AgentContext<RequestContext>>({
    name: 'Reporter',
    handoffDescription: 'Summarizes progress and changes the chat theme.',
    model,
    instructions: [
      'You write progress summaries with summarize_tasks and switch the theme with switch_theme.',
      WIDGET_RULES,
      'Answer briefly.',
    ].join('\n'),
    tools: [summarizeTasksTool, switchThemeTool],
    // The browser runs switch_theme: stop the run so ChatKit can execute it.
    toolUseBehavior: { stopAtToolNames: ['switch_theme'] },
  });

  // Stable tool names the model (and scripts/demo.json) can call.
  const toTaskManager = handoff(taskManager, { toolNameOverride: 'transfer_to_task_manager' });
  const toReporter = handoff(reporter, { toolNameOverride: 'transfer_to_reporter' });

  const triage: ChatAgent = new Agent<AgentContext<RequestContext>>({
    name: 'Triage',
    model,
    instructions: [
      'You route each request to the right specialist.',
      '- Task lists and new tasks: hand off to the Task manager.',
      '- Progress summaries and light/dark mode: hand off to the Reporter.',
      'Anything else: answer briefly yourself.',
    ].join('\n'),
    handoffs: [toTaskManager, toReporter],
  });

  // Specialists can hand back when the user changes topic.
  taskManager.handoffs = [toReporter];
  reporter.handoffs = [toTaskManager];
  return triage;
}
