/**
 * The task list widget: a ListView with a status header, one row per task,
 * a status Badge, and an explicit empty state. Widgets are plain objects
 * typed by @openai/chatkit, so a wrong field is a compile error.
 */
import type { Widgets } from 'create-chatkit-backend/widgets';
import type { Task } from '../tasks.js';

export function taskListWidget(tasks: Task[]): Widgets.ListView {
  if (tasks.length === 0) {
    return {
      type: 'ListView',
      status: { text: 'Tasks (0)', icon: 'check-circle' },
      children: [
        {
          type: 'ListViewItem',
          children: [{ type: 'Text', value: 'No tasks found', color: 'secondary', italic: true }],
        },
      ],
    };
  }
  return {
    type: 'ListView',
    status: { text: `Tasks (${tasks.length})`, icon: 'check-circle' },
    limit: 'auto',
    children: tasks.map((task) => taskRow(task)),
  };
}

function taskRow(task: Task): Widgets.ListViewItem {
  const done = task.status === 'done';
  const details: Widgets.WidgetComponent[] = [
    { type: 'Text', value: task.title, weight: 'semibold', lineThrough: done, color: done ? 'secondary' : 'primary' },
  ];
  // Optional lines are left out rather than rendered empty.
  if (task.description) details.push({ type: 'Text', value: task.description, size: 'sm', color: 'secondary' });
  return {
    type: 'ListViewItem',
    key: `task-${task.id}`,
    gap: 2,
    children: [
      {
        type: 'Row',
        gap: 3,
        align: 'start',
        children: [
          { type: 'Text', value: done ? '✓' : '○', size: 'lg' },
          { type: 'Col', gap: 1, flex: 1, children: details },
          { type: 'Badge', label: done ? 'done' : 'open', color: done ? 'success' : 'secondary', size: 'sm' },
        ],
      },
    ],
  };
}
