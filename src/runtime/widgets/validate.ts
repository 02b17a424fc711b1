/**
 * A runtime check that a JSON value is a widget tree ChatKit can render:
 * the root is a `Card`, `ListView` or `Basic`, and every node reached through
 * `children` has a known component type. Templates are rendered from text, so
 * this is where a typo in a `.widget` file becomes a clear error instead of a
 * blank widget in the browser.
 */
import type { WidgetRoot } from '../protocol/items.js';

export const WIDGET_ROOT_TYPES = ['Card', 'ListView', 'Basic'] as const;

/** Every component type in `@openai/chatkit`'s `Widgets`, plus `Chart` (rendered by ChatKit, typed only in Python). */
export const WIDGET_COMPONENT_TYPES = [
  'Text', 'Title', 'Caption', 'Badge', 'Markdown', 'Box', 'Row', 'Col', 'Divider', 'Icon', 'Image',
  'Button', 'Checkbox', 'Spacer', 'Select', 'DatePicker', 'Form', 'Input', 'Label', 'RadioGroup',
  'Table', 'Table.Row', 'Table.Cell', 'Textarea', 'Transition', 'ListViewItem', 'Chart',
] as const;

const rootTypes = new Set<string>(WIDGET_ROOT_TYPES);
const knownTypes = new Set<string>([...WIDGET_ROOT_TYPES, ...WIDGET_COMPONENT_TYPES]);

export class WidgetValidationError extends Error {
  override name = 'WidgetValidationError';
  constructor(
    message: string,
    /** Where in the tree, e.g. `widget.children[1].children[0]`. */
    readonly path: string,
  ) {
    super(message);
  }
}

/** @throws WidgetValidationError naming the offending node's path. */
export function assertWidgetRoot(value: unknown, label = 'widget'): asserts value is WidgetRoot {
  if (!isObject(value)) {
    throw new WidgetValidationError(`${label}: expected a widget object with a "type", got ${describe(value)}`, label);
  }
  if (typeof value.type !== 'string' || !rootTypes.has(value.type)) {
    throw new WidgetValidationError(
      `${label}.type: a widget root must be one of ${WIDGET_ROOT_TYPES.join(', ')}; got ${JSON.stringify(value.type)}`,
      `${label}.type`,
    );
  }
  checkChildren(value, label);
}

function checkNode(value: unknown, path: string, parentType: string): void {
  if (!isObject(value)) {
    throw new WidgetValidationError(`${path}: expected a component object with a "type", got ${describe(value)}`, path);
  }
  const type = value.type;
  if (typeof type !== 'string') {
    throw new WidgetValidationError(`${path}.type: missing; every component needs a PascalCase "type" such as "Text"`, `${path}.type`);
  }
  if (!knownTypes.has(type)) {
    throw new WidgetValidationError(
      `${path}.type: unknown component type ${JSON.stringify(type)}; known types are ${[...knownTypes].join(', ')}`,
      `${path}.type`,
    );
  }
  if (type === 'ListViewItem' && parentType !== 'ListView') {
    throw new WidgetValidationError(`${path}: a ListViewItem may only appear directly inside a ListView (found in ${parentType})`, path);
  }
  if (parentType === 'ListView' && type !== 'ListViewItem') {
    throw new WidgetValidationError(`${path}: the children of a ListView must be ListViewItem components; got ${type}`, path);
  }
  checkChildren(value, path);
}

function checkChildren(node: Record<string, unknown>, path: string): void {
  const children = node.children;
  if (children === undefined || children === null) return;
  const type = node.type as string;
  if (Array.isArray(children)) children.forEach((child, index) => checkNode(child, `${path}.children[${index}]`, type));
  else checkNode(children, `${path}.children`, type);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return `${typeof value} ${JSON.stringify(value)?.slice(0, 40) ?? ''}`.trim();
}
