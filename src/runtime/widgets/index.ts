/**
 * `create-chatkit-backend/widgets`: streaming, diffing and templating ChatKit
 * widgets. The component types are `@openai/chatkit`'s `Widgets`, re-exported
 * here as `WidgetRoot` / `WidgetComponent`.
 */
export type { Widgets } from '@openai/chatkit';
export type { WidgetRoot, WidgetComponent } from '../protocol/items.js';
export { diffWidget, type WidgetDiff } from './diff.js';
export { streamWidget, type StreamWidgetOptions } from './stream.js';
export { accumulateText, textDeltaOf, type StreamingTextComponent } from './accumulate-text.js';
export { WidgetTemplate, type WidgetDefinition } from './template.js';
export {
  assertWidgetRoot,
  WidgetValidationError,
  WIDGET_ROOT_TYPES,
  WIDGET_COMPONENT_TYPES,
} from './validate.js';
