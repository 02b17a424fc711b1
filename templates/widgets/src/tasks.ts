/**
 * Sample data for the task tools: an in-memory task list per user. Replace
 * it with your database; the tools only need `listTasks` and `addTask`.
 */
export interface Task {
  id: number;
  title: string;
  status: 'open' | 'done';
  description?: string;
}

const SAMPLE: Task[] = [
  { id: 1, title: 'Connect the ChatKit frontend', status: 'done', description: 'frontend/ snippet' },
  { id: 2, title: 'Register the domain in the ChatKit allowlist', status: 'open' },
  { id: 3, title: 'Switch to your own model provider', status: 'open', description: 'CHATKIT_MODEL_PROVIDER in .env' },
];

const byUser = new Map<string, Task[]>();

function tasksOf(userId: string | undefined): Task[] {
  const key = userId ?? 'anonymous';
  let tasks = byUser.get(key);
  if (!tasks) {
    tasks = SAMPLE.map((task) => ({ ...task }));
    byUser.set(key, tasks);
  }
  return tasks;
}

export async function listTasks(userId: string | undefined, status?: Task['status']): Promise<Task[]> {
  return tasksOf(userId).filter((task) => status === undefined || task.status === status);
}

export async function addTask(userId: string | undefined, title: string, description?: string): Promise<Task> {
  const tasks = tasksOf(userId);
  const task: Task = { id: Math.max(0, ...tasks.map((existing) => existing.id)) + 1, title, status: 'open', description };
  tasks.push(task);
  return task;
}
