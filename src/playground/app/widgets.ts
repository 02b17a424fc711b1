/**
 * Widget JSON to DOM, faithfully enough to read layout and state: roots
 * (Card, ListView, Basic), layout, text, content and form controls. Actions
 * go to `onAction` with the values of the enclosing form merged into the
 * payload by field name (dotted names nest), as ChatKit.js does. A type this
 * renderer does not know is shown as labelled JSON rather than dropped.
 */
import { h, prettyJson, type Child } from './dom';
import { renderMarkdown } from './markdown';
import type { ActionConfig, WidgetNode } from './protocol';
import * as css from './widget-style';

export interface WidgetContext {
  /** Prefix for element ids (labels point at their fields). */
  idPrefix: string;
  onAction(action: ActionConfig, source: HTMLElement): void;
}

type Style = Partial<Record<string, string>>;

function boxStyle(node: WidgetNode, direction: 'row' | 'column'): Style {
  return {
    display: 'flex',
    'flex-direction': node.direction === 'row' ? 'row' : node.direction === 'col' ? 'column' : direction,
    gap: css.space(node.gap),
    padding: css.spacingBox(node.padding),
    margin: css.spacingBox(node.margin),
    'align-items': css.align(node.align),
    'justify-content': css.justify(node.justify),
    'flex-wrap': node.wrap === true || node.wrap === 'wrap' ? 'wrap' : undefined,
    flex: node.flex !== undefined ? String(node.flex) : undefined,
    background: css.color(node.background),
    'border-radius': css.radius(node.radius),
    border: css.border(node.border),
    width: css.size(node.width ?? node.size),
    height: css.size(node.height ?? node.size),
    'min-width': css.size(node.minWidth ?? node.minSize),
    'min-height': css.size(node.minHeight ?? node.minSize),
    'max-width': css.size(node.maxWidth ?? node.maxSize),
    'max-height': css.size(node.maxHeight ?? node.maxSize),
    'aspect-ratio': node.aspectRatio !== undefined ? String(node.aspectRatio) : undefined,
  };
}

function textStyle(node: WidgetNode, scale: 'text' | 'title' = 'text'): Style {
  return {
    color: css.color(node.color),
    'font-size': css.textSize(node.size, scale),
    'font-weight': css.weight(node.weight),
    'font-style': node.italic ? 'italic' : undefined,
    'text-decoration': node.lineThrough ? 'line-through' : undefined,
    'text-align': typeof node.textAlign === 'string' ? node.textAlign : undefined,
    width: css.size(node.width),
  };
}

function children(node: WidgetNode): WidgetNode[] {
  if (Array.isArray(node.children)) return node.children;
  return node.children && typeof node.children === 'object' ? [node.children] : [];
}

const str = (value: unknown) => (value === undefined || value === null ? '' : String(value));
const action = (value: unknown) => (value && typeof value === 'object' && typeof (value as ActionConfig).type === 'string' ? (value as ActionConfig) : undefined);

export function renderWidget(root: WidgetNode, ctx: WidgetContext): HTMLElement {
  const holder = h('div', { class: 'widget', data: { widgetType: root.type } }, renderNode(root, ctx));
  return holder;
}

function renderKids(node: WidgetNode, ctx: WidgetContext): Child[] {
  return children(node).map((child) => renderNode(child, ctx));
}

function status(node: WidgetNode): Child {
  const s = node.status as { text?: string; icon?: string; favicon?: string } | undefined;
  if (!s?.text) return null;
  return h('div', { class: 'w-status' }, s.icon ? h('span', { class: 'w-icon', text: css.iconGlyph(s.icon) }) : null, s.text);
}

function renderNode(node: WidgetNode, ctx: WidgetContext): Node {
  if (!node || typeof node !== 'object' || typeof node.type !== 'string') return unknown({ type: '(not a component)', value: node } as never, 'Not a widget component');
  switch (node.type) {
    case 'Card':
      return card(node, ctx);
    case 'ListView':
      return listView(node, ctx);
    case 'Basic':
      return h('div', { class: 'w-basic', style: boxStyle(node, 'column') }, renderKids(node, ctx));
    case 'ListViewItem':
      return listViewItem(node, ctx);
    case 'Box':
      return h('div', { class: 'w-box', style: boxStyle(node, 'column') }, renderKids(node, ctx));
    case 'Row':
      return h('div', { class: 'w-row', style: { 'align-items': 'center', ...boxStyle(node, 'row') } }, renderKids(node, ctx));
    case 'Col':
      return h('div', { class: 'w-col', style: boxStyle(node, 'column') }, renderKids(node, ctx));
    case 'Form':
      return form(node, ctx);
    case 'Spacer':
      return h('div', { class: 'w-spacer', style: { flex: '1 1 auto', 'min-width': css.size(node.minSize), 'min-height': css.size(node.minSize) } });
    case 'Divider':
      return h('hr', { class: 'w-divider', style: { 'border-color': css.color(node.color), margin: node.spacing !== undefined ? `${css.space(node.spacing)} 0` : undefined } });
    case 'Transition':
      return h('div', { class: 'w-transition' }, renderKids(node, ctx));
    case 'Text':
      return h('p', { class: `w-text${node.streaming ? ' streaming' : ''}`, style: textStyle(node), data: node.id ? { componentId: node.id } : {} }, str(node.value));
    case 'Title':
      return h('h4', { class: 'w-title', style: textStyle(node, 'title') }, str(node.value));
    case 'Caption':
      return h('p', { class: 'w-caption', style: textStyle(node) }, str(node.value));
    case 'Markdown': {
      const md = h('div', { class: `w-markdown markdown${node.streaming ? ' streaming' : ''}`, data: node.id ? { componentId: node.id } : {} });
      md.innerHTML = renderMarkdown(str(node.value));
      return md;
    }
    case 'Label':
      return h('label', { class: 'w-label', style: textStyle(node), attrs: { for: fieldId(ctx, node.fieldName) } }, str(node.value));
    case 'Badge':
      return h('span', {
        class: `w-badge badge-${str(node.color) || 'secondary'} badge-${str(node.variant) || 'soft'}${node.pill ? ' pill' : ''}`,
        data: { badge: str(node.label) },
      }, str(node.label));
    case 'Icon':
      return h('span', { class: 'w-icon', title: str(node.name), style: { color: css.color(node.color), 'font-size': css.iconSize(node.size) } }, css.iconGlyph(node.name));
    case 'Image':
      return h('img', {
        class: 'w-image',
        attrs: { src: str(node.src), alt: str(node.alt), loading: 'lazy' },
        style: { ...boxStyle(node, 'column'), display: 'block', 'object-fit': str(node.fit) || 'cover', 'border-radius': css.radius(node.radius) },
      });
    case 'Button':
      return button(node, ctx);
    case 'Input':
      return h('input', {
        class: 'w-input',
        attrs: {
          id: fieldId(ctx, node.name), name: str(node.name), type: str(node.inputType) || 'text', value: str(node.defaultValue),
          placeholder: str(node.placeholder) || undefined, required: Boolean(node.required), disabled: Boolean(node.disabled),
          pattern: typeof node.pattern === 'string' ? node.pattern : undefined,
        },
      });
    case 'Textarea': {
      const area = h('textarea', {
        class: 'w-textarea',
        attrs: { id: fieldId(ctx, node.name), name: str(node.name), rows: String(node.rows ?? 3), placeholder: str(node.placeholder) || undefined, required: Boolean(node.required), disabled: Boolean(node.disabled) },
      });
      area.value = str(node.defaultValue);
      return area;
    }
    case 'Select':
      return select(node, ctx);
    case 'DatePicker':
      return onChange(
        h('input', {
          class: 'w-date',
          attrs: {
            id: fieldId(ctx, node.name), name: str(node.name), type: 'date', value: str(node.defaultValue).slice(0, 10),
            min: typeof node.min === 'string' ? node.min.slice(0, 10) : undefined, max: typeof node.max === 'string' ? node.max.slice(0, 10) : undefined,
            disabled: Boolean(node.disabled),
          },
        }),
        node,
        ctx,
      );
    case 'Checkbox': {
      const box = h('input', { attrs: { id: fieldId(ctx, node.name), type: 'checkbox', name: str(node.name), disabled: Boolean(node.disabled), required: Boolean(node.required) } });
      box.checked = Boolean(node.defaultChecked);
      onChange(box, node, ctx);
      return h('label', { class: 'w-checkbox' }, box, ' ', str(node.label));
    }
    case 'RadioGroup':
      return radioGroup(node, ctx);
    case 'Table':
      return h('table', { class: 'w-table' }, h('tbody', {}, renderKids(node, ctx)));
    case 'Table.Row':
      return h('tr', { class: node.header ? 'w-table-header' : '' }, renderKids(node, ctx));
    case 'Table.Cell':
      return h('td', { attrs: { colspan: node.colSpan ? String(node.colSpan) : undefined, rowspan: node.rowSpan ? String(node.rowSpan) : undefined }, style: { 'text-align': str(node.align) || undefined, padding: css.spacingBox(node.padding) } }, renderKids(node, ctx));
    default:
      return unknown(node, `Unknown component: ${node.type}`);
  }
}

function unknown(node: WidgetNode, label: string): HTMLElement {
  return h('details', { class: 'w-unknown', attrs: { open: true } }, h('summary', { text: label }), h('pre', { text: prettyJson(node) }));
}

function fieldId(ctx: WidgetContext, name: unknown): string {
  return `${ctx.idPrefix}-${str(name).replace(/[^\w-]/g, '_')}`;
}

function card(node: WidgetNode, ctx: WidgetContext): HTMLElement {
  const size = { sm: '320px', md: '440px', lg: '560px', full: '100%' }[str(node.size) || 'md'] ?? '440px';
  const body = node.collapsed ? [] : renderKids(node, ctx);
  const footer: Child[] = [];
  for (const [key, primary] of [['cancel', false], ['confirm', true]] as const) {
    const spec = node[key] as { label?: string; action?: ActionConfig } | undefined;
    if (spec?.action) {
      footer.push(h('button', {
        class: primary ? 'w-button primary' : 'w-button secondary',
        attrs: { type: 'button' },
        on: { click: (event) => ctx.onAction(spec.action!, event.currentTarget as HTMLElement) },
      }, spec.label ?? key));
    }
  }
  const content: Child[] = [status(node), ...body, footer.length ? h('div', { class: 'w-card-footer' }, footer) : null];
  const style: Style = { ...boxStyle(node, 'column'), 'max-width': size, padding: css.spacingBox(node.padding) ?? '14px', background: css.color(node.background) };
  if (node.asForm) {
    return h('form', { class: 'w-card', style, data: { widgetForm: '' }, on: { submit: (event) => event.preventDefault() } }, content);
  }
  return h('div', { class: 'w-card', style }, content);
}

function listView(node: WidgetNode, ctx: WidgetContext): HTMLElement {
  const items = children(node);
  const limit = typeof node.limit === 'number' ? node.limit : items.length;
  const list = h('div', { class: 'w-listview', attrs: { role: 'list' } }, status(node), items.slice(0, limit).map((child) => renderNode(child, ctx)));
  if (items.length > limit) {
    const more = h('button', {
      class: 'w-more', attrs: { type: 'button' }, text: `Show ${items.length - limit} more`,
      on: { click: () => more.replaceWith(...items.slice(limit).map((child) => renderNode(child, ctx))) },
    });
    list.append(more);
  }
  return list;
}

function listViewItem(node: WidgetNode, ctx: WidgetContext): HTMLElement {
  const click = action(node.onClickAction);
  const item = h('div', {
    class: `w-listview-item${click ? ' clickable' : ''}`,
    attrs: { role: 'listitem', tabindex: click ? '0' : undefined },
    style: { gap: css.space(node.gap), 'align-items': css.align(node.align) },
    on: click
      ? {
          click: (event) => ctx.onAction(click, event.currentTarget as HTMLElement),
          keydown: (event) => {
            if (event.key === 'Enter' || event.key === ' ') {
              event.preventDefault();
              ctx.onAction(click, event.currentTarget as HTMLElement);
            }
          },
        }
      : {},
  }, renderKids(node, ctx));
  return item;
}

function form(node: WidgetNode, ctx: WidgetContext): HTMLElement {
  const submit = action(node.onSubmitAction);
  return h('form', {
    class: 'w-form',
    data: { widgetForm: '' },
    style: boxStyle(node, 'column'),
    on: {
      submit: (event) => {
        event.preventDefault();
        if (submit) ctx.onAction(submit, event.currentTarget as HTMLElement);
      },
    },
  }, renderKids(node, ctx));
}

function button(node: WidgetNode, ctx: WidgetContext): HTMLElement {
  const click = action(node.onClickAction);
  const variant = str(node.variant) || (node.style === 'secondary' ? 'outline' : 'solid');
  return h('button', {
    class: `w-button ${str(node.color) || (node.style === 'secondary' ? 'secondary' : 'primary')} ${variant}${node.pill ? ' pill' : ''}${node.block ? ' block' : ''}`,
    attrs: { type: node.submit ? 'submit' : 'button', disabled: Boolean(node.disabled) },
    on: click ? { click: (event) => { event.preventDefault(); ctx.onAction(click, event.currentTarget as HTMLElement); } } : {},
  }, node.iconStart ? `${css.iconGlyph(node.iconStart)} ` : '', str(node.label), node.iconEnd ? ` ${css.iconGlyph(node.iconEnd)}` : '');
}

function select(node: WidgetNode, ctx: WidgetContext): HTMLElement {
  const options = (Array.isArray(node.options) ? node.options : []) as { value: string; label?: string; disabled?: boolean }[];
  const element = h('select', { class: 'w-select', attrs: { id: fieldId(ctx, node.name), name: str(node.name), disabled: Boolean(node.disabled) } },
    node.placeholder || node.defaultValue === undefined ? h('option', { attrs: { value: '' }, text: str(node.placeholder) || 'Choose…' }) : null,
    options.map((option) => h('option', { attrs: { value: option.value, disabled: Boolean(option.disabled) }, text: option.label ?? option.value })),
  );
  element.value = str(node.defaultValue);
  return onChange(element, node, ctx);
}

function radioGroup(node: WidgetNode, ctx: WidgetContext): HTMLElement {
  const options = (Array.isArray(node.options) ? node.options : []) as { value: string; label?: string; disabled?: boolean }[];
  const group = h('div', { class: `w-radiogroup ${node.direction === 'row' ? 'row' : ''}`, attrs: { role: 'radiogroup', 'aria-label': str(node.ariaLabel) || str(node.name) } },
    options.map((option) => {
      const radio = h('input', { attrs: { type: 'radio', name: str(node.name), value: option.value, disabled: Boolean(option.disabled || node.disabled) } });
      radio.checked = option.value === node.defaultValue;
      return h('label', { class: 'w-radio' }, radio, ' ', option.label ?? option.value);
    }),
  );
  return onChange(group, node, ctx);
}

function onChange<T extends HTMLElement>(element: T, node: WidgetNode, ctx: WidgetContext): T {
  const change = action(node.onChangeAction);
  if (change) element.addEventListener('change', () => ctx.onAction(change, element));
  return element;
}

/**
 * The values of the form around `source` (a Form, or a Card with `asForm`),
 * keyed by field name (dotted names nest); for a control's change action
 * outside a form, that control's own value.
 */
export function formValues(source: HTMLElement): Record<string, unknown> {
  const form = source.closest('[data-widget-form]');
  const values: Record<string, unknown> = {};
  const fields = form
    ? [...form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input[name], select[name], textarea[name]')]
    : [...(source.matches('input[name], select[name]') ? [source] : source.querySelectorAll('input[name]'))] as (HTMLInputElement | HTMLSelectElement)[];
  for (const field of fields) {
    let value: unknown;
    if (field instanceof HTMLInputElement && field.type === 'checkbox') value = field.checked;
    else if (field instanceof HTMLInputElement && field.type === 'radio') {
      if (!field.checked) continue;
      value = field.value;
    } else value = field.value;
    setPath(values, field.name, value);
  }
  return values;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cursor = target;
  for (const part of parts.slice(0, -1)) {
    const next = cursor[part];
    cursor = (cursor[part] = next && typeof next === 'object' ? next : {}) as Record<string, unknown>;
  }
  cursor[parts[parts.length - 1]!] = value;
}
