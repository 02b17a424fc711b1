/**
 * `clientTool(...)`: a function tool that runs in the browser. The model calls
 * it like any tool; the tool records a client tool call on the
 * `AgentContext`, and the agent stops there when the tool's name is in
 * `toolUseBehavior.stopAtToolNames`. `streamAgentResponse` then ends the turn
 * with a pending `client_tool_call` item, the browser runs the tool and
 * answers with `threads.add_client_tool_output`.
 *
 *   const getSelection = clientTool({
 *     name: 'get_selection',
 *     description: 'Read what the user selected in the page.',
 *     parameters: z.object({ scope: z.string() }),
 *   });
 *   new Agent({ tools: [getSelection], toolUseBehavior: { stopAtToolNames: [getSelection.name] } });
 */
import { tool, type RunContext } from '@openai/agents';
import type { ZodObject, ZodRawShape, z } from 'zod';
import { AgentContext } from './context.js';

export interface ClientToolOptions<TShape extends ZodRawShape> {
  /** The tool name the model sees, and the `name` of the client tool call ChatKit.js receives. */
  name: string;
  description: string;
  parameters: ZodObject<TShape>;
  /** The arguments sent to the client; the model's arguments by default. */
  toClientArguments?: (args: z.infer<ZodObject<TShape>>) => Record<string, unknown>;
}

export function clientTool<TShape extends ZodRawShape>(options: ClientToolOptions<TShape>) {
  return tool({
    name: options.name,
    description: options.description,
    parameters: options.parameters,
    // A missing AgentContext is a wiring bug: fail the run (and reach the logs) instead of telling the model.
    errorFunction: null,
    execute: async (args: z.infer<ZodObject<TShape>>, runContext?: RunContext<unknown>) => {
      const context = runContext?.context;
      if (!(context instanceof AgentContext)) {
        throw new Error(
          `client tool "${options.name}" needs an AgentContext as the run context: ` +
            'run(agent, input, { context: new AgentContext({ thread, store, requestContext }), stream: true })',
        );
      }
      const clientArguments = options.toClientArguments
        ? options.toClientArguments(args)
        : (args as Record<string, unknown>);
      context.clientToolCall(options.name, clientArguments);
      return `Sent ${options.name} to the client; the result arrives in the next turn.`;
    },
  });
}
