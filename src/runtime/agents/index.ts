/**
 * `create-chatkit-backend/agents`: ChatKit on the OpenAI Agents SDK
 * (`@openai/agents`). Tools stream widgets and progress through the
 * `AgentContext`; `streamAgentResponse` turns a streamed run into ChatKit
 * events; `simpleToAgentInput` turns thread items back into model input.
 */
export {
  AgentContext,
  type AgentContextOptions,
  type ClientToolCall,
  type TaskInput,
  type ToolErrorLogger,
  type WorkflowInput,
} from './context.js';
export { reportToolError, TOOL_FAILED_MESSAGE } from './tool-errors.js';
export { clientTool, type ClientToolOptions } from './client-tool.js';
export { streamAgentResponse, type StreamAgentResponseOptions, type StreamedRun } from './stream-agent-response.js';
export {
  ResponseStreamConverter,
  type ContainerFileCitation,
  type FileCitation,
  type URLCitation,
} from './response-stream-converter.js';
export {
  ThreadItemConverter,
  simpleToAgentInput,
  TAG_CONTEXT_HEADER,
  type UserContentPart,
} from './thread-item-converter.js';
