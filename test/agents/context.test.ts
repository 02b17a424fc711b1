import { describe, expect, it } from 'vitest';
import { Agent, OutputGuardrailTripwireTriggered, run, tool, type RunContext } from '@openai/agents';
import { ScriptedModel, assistantMessage, functionCall } from '@openai/agents/testing';
import { z } from 'zod';
import type { ThreadStreamEvent } from '../../src/runtime/index.js';
import { AgentContext, streamAgentResponse } from '../../src/runtime/agents/index.js';
import { collect, doneItems, newThread, shape, type Ctx } from './helpers.js';
import { normalize } from '../support/chatkit.js';

/** Runs one scripted tool call whose body is `body`, then a short answer, and returns the ChatKit events. */
async function runTool(body: (ctx: AgentContext<Ctx>) => Promise<void>, agentContext?: AgentContext<Ctx>) {
  const setup = agentContext ? { agentContext } : await newThread();
  const work = tool({
    name: 'work', description: 'work', parameters: z.object({}),
    execute: async (_args, runContext?: RunContext<AgentContext<Ctx>>) => (await body(runContext!.context), 'done'),
  });
  const model = new ScriptedModel([[functionCall('work', {}, { callId: 'c1' })], [assistantMessage('Finished.')]]);
  const agent = new Agent<AgentContext<Ctx>>({ name: 'A', model, tools: [work] });
  const result = await run(agent, 'go', { context: setup.agentContext, stream: true });
  return collect(streamAgentResponse(setup.agentContext, result));
}

describe('AgentContext helpers', () => {
  it('reproduces the workflow of spec 9.8: added with the first task, task updated, task added, done with the summary', async () => {
    const events = await runTool(async (ctx) => {
      await ctx.stream({ type: 'notice', level: 'warning', message: 'You are near your **limit**.', title: 'Heads up' });
      await ctx.stream({ type: 'client_effect', name: 'highlight', data: { index: 3 } });
      await ctx.startWorkflow({ type: 'custom' }); // no tasks yet: nothing is sent
      await ctx.addWorkflowTask({ type: 'custom', title: 'Step 1', status_indicator: 'loading' });
      await ctx.updateWorkflowTask({ type: 'custom', title: 'Step 1', status_indicator: 'complete' }, 0);
      await ctx.addWorkflowTask({ type: 'web_search', title: 'Searching', queries: ['q'], sources: [{ title: 'E', type: 'url', url: 'https://e.com' }] });
      await ctx.endWorkflow({ title: 'Did 2 things', icon: 'check' });
    });
    expect(normalize(events.slice(0, 7))).toEqual([
      { type: 'notice', level: 'warning', message: 'You are near your **limit**.', title: 'Heads up' },
      { type: 'client_effect', name: 'highlight', data: { index: 3 } },
      {
        type: 'thread.item.added',
        item: { id: '<wf1>', thread_id: '<thr1>', created_at: '<ts>', type: 'workflow', workflow: { type: 'custom', tasks: [{ status_indicator: 'loading', type: 'custom', title: 'Step 1' }], expanded: false } },
      },
      { type: 'thread.item.updated', item_id: '<wf1>', update: { type: 'workflow.task.updated', task_index: 0, task: { status_indicator: 'complete', type: 'custom', title: 'Step 1' } } },
      {
        type: 'thread.item.updated', item_id: '<wf1>',
        update: { type: 'workflow.task.added', task_index: 1, task: { status_indicator: 'none', type: 'web_search', title: 'Searching', queries: ['q'], sources: [{ title: 'E', type: 'url', url: 'https://e.com' }] } },
      },
      {
        type: 'thread.item.done',
        item: {
          id: '<wf1>', thread_id: '<thr1>', created_at: '<ts>', type: 'workflow',
          workflow: {
            type: 'custom',
            tasks: [
              { status_indicator: 'complete', type: 'custom', title: 'Step 1' },
              { status_indicator: 'none', type: 'web_search', title: 'Searching', queries: ['q'], sources: [{ title: 'E', type: 'url', url: 'https://e.com' }] },
            ],
            summary: { title: 'Did 2 things', icon: 'check' },
            expanded: false,
          },
        },
      },
      { type: 'thread.item.added', item: { id: '<msg1>', thread_id: '<thr1>', created_at: '<ts>', type: 'assistant_message', content: [] } },
    ]);
  });

  it('shows a reasoning workflow at once, and a workflow that already has tasks', async () => {
    const events = await runTool(async (ctx) => {
      await ctx.startWorkflow({ type: 'reasoning' });
      await ctx.endWorkflow(null, true);
      await ctx.startWorkflow({ type: 'custom', tasks: [{ type: 'custom', title: 'Ready' }] });
    });
    expect(shape(events).slice(0, 4)).toEqual(['added:workflow', 'done:workflow', 'added:workflow', 'done:workflow']);
    const [first, second] = doneItems(events) as Extract<ThreadStreamEvent, { type: 'thread.item.done' }>['item'][];
    expect(first).toMatchObject({ workflow: { type: 'reasoning', summary: { duration: expect.any(Number) }, expanded: true } });
    // The answer closed the second workflow: duration summary, collapsed.
    expect(second).toMatchObject({ workflow: { type: 'custom', tasks: [{ title: 'Ready', status_indicator: 'none' }], summary: { duration: expect.any(Number) }, expanded: false } });
  });

  it('closes the active workflow before a widget, but not before a hidden context item or a client tool call', async () => {
    const events = await runTool(async (ctx) => {
      await ctx.addWorkflowTask({ type: 'custom', title: 'Working' });
      await ctx.stream({ type: 'thread.item.done', item: { id: 'hc_1', thread_id: ctx.thread.id, created_at: new Date().toISOString(), type: 'hidden_context_item', content: 'note' } });
      await ctx.streamWidget({ type: 'Card', children: [{ type: 'Text', value: 'Result' }] });
    });
    expect(shape(events).slice(0, 4)).toEqual(['added:workflow', 'done:hidden_context_item', 'done:workflow', 'done:widget']);
  });

  it('does not close a workflow twice when the tool ended it before streaming a widget', async () => {
    const events = await runTool(async (ctx) => {
      await ctx.addWorkflowTask({ type: 'custom', title: 'Working' });
      await ctx.endWorkflow({ title: 'Done' });
      await ctx.streamWidget({ type: 'Card', children: [] });
    });
    expect(shape(events).slice(0, 3)).toEqual(['added:workflow', 'done:workflow', 'done:widget']);
    expect(shape(events).filter((s) => s === 'done:workflow')).toHaveLength(1);
  });

  it('says what is wrong when a task is updated without a workflow or out of range', async () => {
    const { agentContext } = await newThread();
    await expect(agentContext.updateWorkflowTask({ type: 'custom', title: 'x' }, 0)).rejects.toThrow(/no workflow is active/);
    await agentContext.addWorkflowTask({ type: 'custom', title: 'x' });
    await expect(agentContext.updateWorkflowTask({ type: 'custom', title: 'x' }, 3)).rejects.toThrow(/task index 3 is out of range; the workflow has 1 task/);
    expect(() => new AgentContext({} as never)).toThrow(/thread and store are required/);
  });

  it('generates store-backed ids', async () => {
    const { agentContext } = await newThread();
    expect(agentContext.generateId('message')).toMatch(/^msg_[0-9a-f]{24}$/);
    expect(agentContext.generateId('workflow')).toMatch(/^wf_/);
    expect(agentContext.generateId('thread')).toMatch(/^thr_/);
  });
});

describe('guardrails', () => {
  it('an output guardrail trip removes the streamed answer and any widget, then rethrows', async () => {
    const { agentContext } = await newThread();
    const show = tool({
      name: 'show', description: 'show', parameters: z.object({}),
      execute: async (_a, rc?: RunContext<AgentContext<Ctx>>) => (await rc!.context.streamWidget({ type: 'Card', children: [] }), 'shown'),
    });
    const model = new ScriptedModel([[functionCall('show', {}, { callId: 'c1' })], [assistantMessage('Leaking the secret.')]]);
    const agent = new Agent<AgentContext<Ctx>>({
      name: 'A', model, tools: [show],
      outputGuardrails: [{ name: 'no_leaks', execute: async () => ({ tripwireTriggered: true, outputInfo: null }) }],
    });
    const result = await run(agent, 'go', { context: agentContext, stream: true });
    const seen: ThreadStreamEvent[] = [];
    await expect(async () => {
      for await (const event of streamAgentResponse(agentContext, result)) seen.push(event);
    }).rejects.toBeInstanceOf(OutputGuardrailTripwireTriggered);
    const produced = doneItems(seen).map((item) => item.id);
    expect(produced).toHaveLength(2);
    const removed = seen.flatMap((e) => (e.type === 'thread.item.removed' ? [e.item_id] : []));
    expect(removed.sort()).toEqual([...produced].sort());
    expect(shape(seen).slice(-2)).toEqual(['thread.item.removed', 'thread.item.removed']);
  });
});

describe('clientTool', () => {
  it('records the call on the AgentContext, and explains itself when run without one', async () => {
    const { RunContext } = await import('@openai/agents');
    const { clientTool } = await import('../../src/runtime/agents/index.js');
    const getSelection = clientTool({
      name: 'get_selection',
      description: 'Read the selection',
      parameters: z.object({ scope: z.string() }),
      toClientArguments: ({ scope }) => ({ scope, at: 'page' }),
    });
    const { agentContext } = await newThread();
    await getSelection.invoke(new RunContext(agentContext), '{"scope":"doc"}');
    expect(agentContext.pendingClientToolCall).toEqual({ name: 'get_selection', arguments: { scope: 'doc', at: 'page' } });

    await expect(getSelection.invoke(new RunContext({ userId: 'u1' }), '{"scope":"doc"}')).rejects.toThrow(/needs an AgentContext as the run context/);
  });
});
