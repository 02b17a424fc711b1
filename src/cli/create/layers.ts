/**
 * Which template directories make up a project. Directories are layered in
 * order; a later layer's file replaces an earlier one at the same path.
 *
 *   templates/base/             every project
 *   templates/basic/            the protocol layer without an agent
 *   templates/agent-runtime/    respond() running an Agents SDK agent
 *   templates/agent/            a plain agent
 *   templates/widgets/          task data, widgets and widget-streaming tools
 *   templates/tools/            an agent using those tools
 *   templates/multi-agent/      triage + two specialists using those tools
 *   templates/frontend-common/  ChatKit options shared by both snippets
 *   templates/frontend-<kind>/  the React or vanilla snippet
 */
import type { Frontend, Template } from './choices.js';

const TEMPLATE_LAYERS: Record<Template, readonly string[]> = {
  basic: ['basic'],
  agent: ['agent-runtime', 'agent'],
  tools: ['agent-runtime', 'widgets', 'tools'],
  'multi-agent': ['agent-runtime', 'widgets', 'multi-agent'],
};

export function layersFor(template: Template, frontend: Frontend): string[] {
  return [
    'base',
    ...TEMPLATE_LAYERS[template],
    ...(frontend === 'none' ? [] : ['frontend-common', `frontend-${frontend}`]),
  ];
}

export const ALL_LAYERS: readonly string[] = [
  ...new Set(['base', ...Object.values(TEMPLATE_LAYERS).flat(), 'frontend-common', 'frontend-react', 'frontend-vanilla']),
];
