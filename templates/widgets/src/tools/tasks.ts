/**
 * Tools that show their results as widgets. The pattern (the same as the
 * ChatKit Python SDK's): the tool fetches data, builds a widget, and streams
 * it directly to the UI through the agent context. The model only gets a
 * short acknowledgement back, and its instructions tell it not to repeat the
 * data, so the user never sees the list twice or as raw JSON.
 *
 * `errorFunction: reportToolError`: when a tool throws, the error goes to the
 * server log (and under the turn in `dev`) and the model is told the tool
 * failed. Without it the Agents SDK tells only the model.
 */
import { tool, type RunContext } from '@openai/agents';
import { reportToolError, type AgentContext } from 'create-chatkit-backend/agents';
import { z } from 'zod';
import type { RequestContext } from '../context.js';
import { addTask, listTasks } from '../tasks.js';
import { streamingSummaryCard } from '../widgets/summary-card.js';
import { taskListWidget } from '../widgets/task-list.js';

type Context = RunContext<AgentContext<RequestContext>>;

function agentContextOf(runContext: Context | undefined): AgentContext<RequestContext> {
  if (!runContext) throw new Error('this tool must run inside a ChatKit agent run (pass { context: agentContext } to run())');
  return runContext.context;
}

export const listTasksTool = tool({
  name: 'list_tasks',
  errorFunction: reportToolError,
  description: "Show the user's tasks in a list widget. Optionally only open or done tasks.",
  parameters: z.object({ status: z.enum(['open', 'done']).nullable().describe('Filter by status; null for all tasks') }),
  execute: async ({ status }, runContext?: Context) => {
    const ctx = agentContextOf(runContext);
    const tasks = await listTasks(ctx.requestContext.userId, status ?? undefined);
    await ctx.streamWidget(taskListWidget(tasks));
    // Not the data: the widget already shows it.
    return `Displayed ${tasks.length} task(s) to the user in a widget.`;
  },
});

export const addTaskTool = tool({
  name: 'add_task',
  errorFunction: reportToolError,
  description: 'Add a task to the user\'s list, then show the updated list.',
  parameters: z.object({
    title: z.string().min(1).describe('Short task title'),
    description: z.string().nullable().describe('Optional details; null for none'),
  }),
  execute: async ({ title, description }, runContext?: Context) => {
    const ctx = agentContextOf(runContext);
    // Progress updates show while slow work runs, and disappear when the answer arrives.
    await ctx.progress('Saving the task…', 'write');
    const task = await addTask(ctx.requestContext.userId, title, description ?? undefined);
    await ctx.streamWidget(taskListWidget(await listTasks(ctx.requestContext.userId)));
    return `Added task #${task.id}; the updated list is displayed in a widget.`;
  },
});

export const summarizeTasksTool = tool({
  name: 'summarize_tasks',
  errorFunction: reportToolError,
  description: 'Write a short progress summary of the task list into a card.',
  parameters: z.object({}),
  execute: async (_args, runContext?: Context) => {
    const ctx = agentContextOf(runContext);
    await ctx.progress('Reading your tasks…', 'search');
    const tasks = await listTasks(ctx.requestContext.userId);
    const done = tasks.filter((task) => task.status === 'done').length;
    const sentence = `${done} of ${tasks.length} tasks are done. Next up: ${tasks.find((task) => task.status === 'open')?.title ?? 'nothing, all clear'}.`;
    // A streaming widget: the card's text grows word by word.
    await ctx.streamWidget(streamingSummaryCard('Task summary', sentence.split(/(?= )/)));
    return 'The summary is displayed in a card.';
  },
});

/**
 * A client tool: the browser runs it (ChatKit's `onClientTool` in
 * frontend/), and its output comes back as the next turn's input.
 */
export const switchThemeTool = tool({
  name: 'switch_theme',
  errorFunction: reportToolError,
  description: 'Switch the chat between light and dark mode.',
  parameters: z.object({ theme: z.enum(['light', 'dark']) }),
  execute: async ({ theme }, runContext?: Context) => {
    agentContextOf(runContext).clientToolCall('switch_theme', { theme });
    return `Asked the browser to switch to the ${theme} theme.`;
  },
});

/**
 * Tells the model how to behave around widgets; every agent with these tools
 * gets it. Without it, models tend to repeat a widget's data as text or JSON.
 */
export const WIDGET_RULES = [
  'IMPORTANT: the task tools (list_tasks, add_task, summarize_tasks) display their results in widgets automatically.',
  'After calling them, DO NOT repeat, format or list the data yourself (no JSON, no Markdown lists):',
  'say something brief such as "Here are your tasks."',
].join('\n');
