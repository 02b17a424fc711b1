/**
 * Tools stream widgets through the agent context, and the model's reply
 * stays short (the scripted model plays the model, following scripts/demo.json).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskListWidget } from '../src/widgets/task-list.js';
import { assistantText, authHeaders, post, readEvents, startApp, testEnv, userInput, type RunningApp } from './helpers/http.js';

describe('widget tools', () => {
  let running: RunningApp;
  let headers: Record<string, string>;

  beforeAll(async () => {
    running = await startApp(testEnv({ CHATKIT_SCRIPT: 'scripts/demo.json' }));
    headers = await authHeaders('user-1');
  });
  afterAll(async () => {
    await running?.close();
  });

  it('streams the task list as a ListView widget, then a short reply', async () => {
    const events = await readEvents(await post(running.endpoint, { type: 'threads.create', params: { input: userInput('Show my tasks') } }, headers));
    const widgets = events.filter((event) => event.type === 'thread.item.done' && event.item.type === 'widget');
    expect(widgets).toHaveLength(1);
    expect(widgets[0].item.widget.type).toBe('ListView');
    expect(widgets[0].item.widget.children.length).toBeGreaterThan(0);
    expect(assistantText(events)).toBe('Here are your tasks.');
  });

  it('grows the summary card by streaming text deltas', async () => {
    const events = await readEvents(await post(running.endpoint, { type: 'threads.create', params: { input: userInput('Summarize my progress') } }, headers));
    const deltas = events.filter((event) => event.update?.type === 'widget.streaming_text.value_delta');
    expect(deltas.length).toBeGreaterThan(1);
    const card = events.find((event) => event.type === 'thread.item.done' && event.item.type === 'widget');
    expect(card.item.widget.type).toBe('Card');
  });

  it('ends the turn with a pending client tool call for switch_theme', async () => {
    const events = await readEvents(await post(running.endpoint, { type: 'threads.create', params: { input: userInput('Use dark mode') } }, headers));
    const call = events.find((event) => event.type === 'thread.item.done' && event.item.type === 'client_tool_call');
    expect(call.item).toMatchObject({ name: 'switch_theme', arguments: { theme: 'dark' }, status: 'pending' });
  });

  it('shows an explicit empty state', () => {
    const widget = taskListWidget([]);
    expect(widget.children[0].children[0]).toMatchObject({ type: 'Text', value: 'No tasks found' });
  });
});

