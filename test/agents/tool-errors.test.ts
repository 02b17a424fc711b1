/**
 * `reportToolError`: a tool that throws inside a real Agents SDK run is
 * logged (tool name, error and stack, secrets scrubbed) through the
 * AgentContext's logger, the model gets only the SDK's neutral sentence,
 * and the turn goes on to the model's answer.
 */
import { describe, expect, it, vi } from 'vitest';
import { Agent, run, tool, type RunContext } from '@openai/agents';
import { ScriptedModel, assistantMessage, functionCall } from '@openai/agents/testing';
import { z } from 'zod';
import { MemoryStore, now, type ThreadMetadata } from '../../src/runtime/index.js';
import { AgentContext, reportToolError, streamAgentResponse, TOOL_FAILED_MESSAGE } from '../../src/runtime/agents/index.js';
import { collect, requestContext, shape, textOf, type Ctx } from './helpers.js';

function failingTool() {
  return tool({
    name: 'list_orders',
    description: 'List the orders',
    parameters: z.object({}),
    errorFunction: reportToolError,
    execute: async (_args, _runContext?: RunContext<AgentContext<Ctx>>) => {
      throw new Error('connect ECONNREFUSED 10.0.0.7:5432 (password sk-live-abcdef0123456789abcdef)');
    },
  });
}

async function threadFor(logger?: { error: (object: unknown, message?: string) => void }) {
  const store = new MemoryStore<Ctx>();
  const thread: ThreadMetadata = { id: store.generateThreadId(requestContext), created_at: now(), status: { type: 'active' }, metadata: {} };
  await store.saveThread(thread, requestContext);
  return new AgentContext<Ctx>({ thread, store, requestContext, ...(logger ? { logger } : {}) });
}

describe('reportToolError', () => {
  it('logs the failure through the AgentContext logger, tells the model only that the tool failed, and the turn goes on', async () => {
    const lines: { object: unknown; message?: string }[] = [];
    const agentContext = await threadFor({ error: (object, message) => lines.push({ object, message }) });
    const model = new ScriptedModel([
      [functionCall('list_orders', {}, { callId: 'call_1', id: 'fc_1' })],
      [assistantMessage('Sorry, I could not load your orders.')],
    ]);
    const agent = new Agent<AgentContext<Ctx>>({ name: 'A', model, tools: [failingTool()] });
    const events = await collect(streamAgentResponse(agentContext, await run(agent, 'orders?', { context: agentContext, stream: true })));

    expect(textOf(events)).toBe('Sorry, I could not load your orders.');
    expect(shape(events).at(-1)).toBe('done:assistant_message');
    expect(lines).toHaveLength(1);
    const [{ object, message }] = lines;
    expect(message).toMatch(/tool failed/i);
    expect(object).toMatchObject({ tool: 'list_orders', err: { type: 'Error', message: expect.stringContaining('ECONNREFUSED 10.0.0.7:5432') } });
    const logged = JSON.stringify(object);
    expect(logged).toMatch(/"stack":"Error: connect ECONNREFUSED[^"]*\\n\s+at /);
    expect(logged).not.toContain('sk-live-abcdef0123456789abcdef');
    // The model saw the neutral sentence, not the error (hosts, credentials).
    const toolResult = (model.lastCall?.request.input as { type?: string; output?: unknown }[]).find((item) => item.type === 'function_call_result');
    expect(JSON.stringify(toolResult?.output)).toContain(TOOL_FAILED_MESSAGE);
    expect(JSON.stringify(model.lastCall?.request.input)).not.toContain('ECONNREFUSED');
  });

  it('without a logger on the context, the failure goes to console.error', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const agentContext = await threadFor();
      const model = new ScriptedModel([[functionCall('list_orders', {}, { callId: 'call_1', id: 'fc_1' })], [assistantMessage('Sorry.')]]);
      const agent = new Agent<AgentContext<Ctx>>({ name: 'A', model, tools: [failingTool()] });
      await collect(streamAgentResponse(agentContext, await run(agent, 'orders?', { context: agentContext, stream: true })));
      expect(spy).toHaveBeenCalledTimes(1);
      expect(spy.mock.calls[0]![0]).toMatchObject({ tool: 'list_orders', err: { message: expect.stringContaining('ECONNREFUSED') } });
    } finally {
      spy.mockRestore();
    }
  });
});
