/**
 * Tool code shared by the provider tests: written once, run unchanged under
 * openai, gemini and scripted models.
 */
import { tool, type RunContext } from '@openai/agents';
import { z } from 'zod';
import type { Widgets } from '@openai/chatkit';
import { clientTool, type AgentContext } from '../../src/runtime/agents/index.js';
import type { Ctx } from './helpers.js';

export interface TaskRow {
  id: string;
  name: string;
  status: 'active' | 'done';
  description?: string;
}

/** The seed's task ListView (seed section 3.4), empty state included. */
export function taskListWidget(tasks: TaskRow[]): Widgets.ListView {
  if (tasks.length === 0) {
    return {
      type: 'ListView',
      children: [{ type: 'ListViewItem', children: [{ type: 'Text', value: 'No items found', color: 'secondary', italic: true }] }],
      status: { text: 'Results (0)', icon: 'check-circle' },
    } satisfies Widgets.ListView;
  }
  return {
    type: 'ListView',
    limit: 'auto',
    status: { text: `Results (${tasks.length} items)`, icon: 'check-circle' },
    children: tasks.map((task) => ({
      type: 'ListViewItem',
      gap: 2,
      children: [{
        type: 'Row',
        gap: 3,
        align: 'start',
        children: [
          { type: 'Text', value: task.status === 'active' ? '✓' : '○', size: 'lg' },
          {
            type: 'Col',
            gap: 1,
            children: [
              { type: 'Text', value: task.name, weight: 'semibold', color: 'primary' },
              ...(task.description ? [{ type: 'Text', value: task.description, size: 'sm', color: 'secondary' } satisfies Widgets.TextComponent] : []),
            ],
          },
          { type: 'Badge', label: `#${task.id}`, color: 'secondary', size: 'sm' },
        ],
      }],
    })),
  } satisfies Widgets.ListView;
}

export function taskTools(database: { tasks: TaskRow[] }) {
  const listTasks = tool({
    name: 'list_tasks',
    description: 'Show the user their tasks in a widget.',
    parameters: z.object({ filter: z.string().nullable().describe('Only tasks whose name contains this') }),
    execute: async ({ filter }, runContext?: RunContext<AgentContext<Ctx>>) => {
      const tasks = database.tasks.filter((task) => !filter || task.name.includes(filter));
      await runContext!.context.streamWidget(taskListWidget(tasks), { copyText: tasks.map((task) => task.name).join(', ') });
      return `Shown ${tasks.length} task(s) in a widget. Do not repeat them.`;
    },
  });

  const draftNote = tool({
    name: 'draft_note',
    description: 'Write a note in a card, streaming it.',
    parameters: z.object({ text: z.string() }),
    execute: async ({ text }, runContext?: RunContext<AgentContext<Ctx>>) => {
      const card = (value: string) =>
        ({ type: 'Card', children: [{ type: 'Title', value: 'Note' }, { type: 'Markdown', id: 'note', value, streaming: true }] }) satisfies Widgets.Card;
      async function* grow() {
        let value = '';
        yield card(value);
        for (const word of text.split(/(?= )/)) yield card((value += word));
      }
      await runContext!.context.streamWidget(grow());
      return 'The note is on screen.';
    },
  });

  // Runs in the browser: the turn ends with a pending client_tool_call.
  const getSelection = clientTool({
    name: 'get_selection',
    description: 'Read what the user selected in the page (runs in the browser).',
    parameters: z.object({ scope: z.string() }),
  });

  return { listTasks, draftNote, getSelection };
}
