import { describe, expect, it } from 'vitest';
import type { Widgets } from '@openai/chatkit';
import { WidgetTemplate, WidgetValidationError } from '../../src/runtime/widgets/index.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url);

describe('WidgetTemplate', () => {
  it('renders a builder list template (tojson, set blocks, Jinja slices) into a ListView', () => {
    const template = WidgetTemplate.fromFile(fixture('tasks.widget'));
    expect(template.name).toBe('Task list');
    expect(template.dataSchema).toMatchObject({ required: ['tasks'] });
    const widget = template.build({
      tasks: [
        { id: 't1', title: 'Write "docs" <now>', done: false },
        { id: 't2', title: 'Ship', done: true },
      ],
    });
    const expected = {
      type: 'ListView',
      limit: 'auto',
      status: { text: 'Tasks (2)', icon: 'check-circle' },
      children: [
        {
          type: 'ListViewItem', key: 't1', gap: 2,
          onClickAction: { type: 'task.toggle', payload: { id: 't1' } },
          children: [{ type: 'Text', value: 'Write "docs" <now>', lineThrough: false }],
        },
        {
          type: 'ListViewItem', key: 't2', gap: 2,
          onClickAction: { type: 'task.toggle', payload: { id: 't2' } },
          children: [{ type: 'Text', value: 'Ship', lineThrough: true }],
        },
      ],
    } satisfies Widgets.ListView;
    expect(widget).toEqual(expected);
  });

  it('renders the empty list as a ListView with no children', () => {
    const widget = WidgetTemplate.fromFile(fixture('tasks.widget')).build({ tasks: [] });
    expect(widget).toEqual({ type: 'ListView', limit: 'auto', status: { text: 'Tasks (0)', icon: 'check-circle' }, children: [] });
  });

  it('renders nested data into a Card', () => {
    const widget = WidgetTemplate.fromFile(fixture('profile.widget')).build({
      person: { name: 'Ada', avatar: '/ada.png' },
      bio: 'Line one\nline **two**',
    });
    expect(widget).toEqual({
      type: 'Card', size: 'sm',
      children: [{
        type: 'Row', gap: 3,
        children: [
          { type: 'Image', src: '/ada.png', size: 40 },
          { type: 'Col', children: [{ type: 'Title', value: 'Ada' }, { type: 'Markdown', value: 'Line one\nline **two**' }] },
        ],
      }],
    } satisfies Widgets.Card);
  });

  it('names the missing data instead of rendering undefined', () => {
    const template = WidgetTemplate.fromFile(fixture('profile.widget'));
    expect(() => template.build({ person: { name: 'Ada', avatar: '/a.png' } })).toThrow(/widget "Profile".*missing required field\(s\) bio/);
  });

  it('rejects unknown component types with the path of the node', () => {
    const template = WidgetTemplate.fromFile(fixture('typo.widget'));
    let error: unknown;
    try {
      template.build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WidgetValidationError);
    expect((error as WidgetValidationError).path).toBe('widget "Typo".children[0].children[0].type');
    expect((error as Error).message).toMatch(/unknown component type "Txt"/);
  });

  it('rejects roots that are not Card, ListView or Basic, and ListView children that are not ListViewItems', () => {
    const of = (template: string) => WidgetTemplate.fromString(JSON.stringify({ version: '1.0', name: 'x', template }));
    expect(() => of('{"type":"Text","value":"hi"}').build()).toThrow(/must be one of Card, ListView, Basic; got "Text"/);
    expect(() => of('{"type":"ListView","children":[{"type":"Text","value":"a"}]}').build()).toThrow(
      /children\[0\]: the children of a ListView must be ListViewItem/,
    );
    expect(() => of('{"type":"Card","children":[').build()).toThrow(/rendered invalid JSON/);
  });

  it('rejects files that are not widget definitions', () => {
    expect(() => WidgetTemplate.fromString('not json', 'x.widget')).toThrow(/x\.widget: not valid JSON/);
    expect(() => WidgetTemplate.fromString('{"version":"2.0","name":"a","template":"{}"}')).toThrow(/unsupported widget spec version "2.0"/);
    expect(() => WidgetTemplate.fromString('{"version":"1.0","name":"a"}')).toThrow(/"template" must be a string/);
    expect(() => WidgetTemplate.fromFile('/nonexistent/file.widget')).toThrow(/cannot read widget file \/nonexistent\/file\.widget/);
  });
});
